package io.vane.protocol.packet;

/**
 * One topic filter of a SUBSCRIBE with its options (5.0 section 3.8.3.1; on 3.1.1 only qos is sent).
 *
 * @param retainHandling 0 send retained on subscribe, 1 only if the subscription is new, 2 never
 */
public record Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
        int retainHandling) {

    public static Subscription of(String filter, int qos) {
        return new Subscription(filter, qos, false, false, 0);
    }
}
