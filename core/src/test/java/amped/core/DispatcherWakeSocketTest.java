package amped.core;

/** Every dispatcher test again, with the poll woken through the socket pair instead of the group's own pipe. */
class DispatcherWakeSocketTest extends DispatcherTest {

    @Override
    Dispatcher newDispatcher(String name) {
        return new Dispatcher(name, true);
    }
}
