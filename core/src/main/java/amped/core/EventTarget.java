package amped.core;

/**
 * Something events are delivered to. When one of its handlers throws, the dispatcher tells it so that it
 * can release what it holds (a connection closes itself); the dispatcher itself carries on.
 */
public interface EventTarget {

    void handlerFailed(Throwable failure);
}
