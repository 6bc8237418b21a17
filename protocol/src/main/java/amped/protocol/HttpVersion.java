package amped.protocol;

/** The two protocol versions a request can speak to us; HTTP/1.2+ minors are answered as 1.1 (RFC 9110 §2.5). */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
