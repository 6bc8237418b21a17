package amped.protocol.listing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The one style sheet and the one script of an HTML listing, inline (a listing loads nothing from anywhere),
 * and the Content-Security-Policy that allows exactly these two by their SHA-256 hashes: a name that smuggled
 * markup past the escaping could still run no script and load nothing.
 */
public final class ListingAssets {

    static final String STYLE = ":root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--mute:#6e6e73;"
            + "--line:#d2d2d7;--link:#0550ae;--hover:#f2f2f5}"
            + "@media (prefers-color-scheme:dark){:root{--fg:#e8e8ed;--bg:#161618;--mute:#9a9aa0;"
            + "--line:#3a3a3f;--link:#79b8ff;--hover:#232327}}"
            + "body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:var(--fg);background:var(--bg)}"
            + "h1{font-size:1.3em;font-weight:600;overflow-wrap:anywhere;margin:.2em 0}"
            + "h1 a{color:var(--link)}"
            + ".bar{display:flex;flex-wrap:wrap;gap:.5em 1.5em;align-items:center;color:var(--mute);margin:.6em 0}"
            + "input[type=search]{font:inherit;padding:.3em .5em;border:1px solid var(--line);border-radius:6px;"
            + "background:var(--bg);color:var(--fg);min-width:14em}"
            + "table{border-collapse:collapse;width:100%;max-width:70em}"
            + "th{text-align:left;border-bottom:1px solid var(--line);font-weight:600;white-space:nowrap}"
            + "th a{color:var(--fg)}"
            + "th,td{padding:.25em 1.5em .25em 0}"
            + "td{border-bottom:1px solid var(--hover)}"
            + "tbody tr:hover{background:var(--hover)}"
            + "td.n{overflow-wrap:anywhere}"
            + ".s{text-align:right;white-space:nowrap}"
            + "td.s,td.m{font-variant-numeric:tabular-nums;color:var(--mute)}"
            + "td.m{white-space:nowrap}"
            + "a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}"
            + "nav{margin:.5em 0}"
            + "@media (max-width:40em){body{margin:1em .7em}th,td{padding-right:.6em}"
            + "td.m{white-space:normal;font-size:.85em}input[type=search]{min-width:0;width:100%}}";

    /**
     * Filters the rows of the page by what is typed, ignoring case, and says how many are shown. The box is
     * in the page but hidden, so that without scripts nothing useless shows.
     */
    static final String SCRIPT = "(()=>{const f=document.getElementById('filter'),c=document.getElementById('shown');"
            + "if(!f)return;f.hidden=false;"
            + "const rows=[...document.querySelectorAll('tbody tr')].filter(r=>!r.classList.contains('up'));"
            + "f.addEventListener('input',()=>{const q=f.value.toLowerCase();let n=0;"
            + "for(const r of rows){const a=r.querySelector('a');"
            + "const hit=q===''||a.textContent.toLowerCase().includes(q);r.hidden=!hit;if(hit)n++;}"
            + "c.textContent=q===''?'':n+' shown';});})();";

    /** For listing pages: nothing from elsewhere, no plugins, no framing; the inline style and script by hash. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; script-src '" + sha256(SCRIPT) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private ListingAssets() {
    }

    /** The CSP source expression of a hash of {@code text}'s UTF-8 bytes. */
    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }
}
