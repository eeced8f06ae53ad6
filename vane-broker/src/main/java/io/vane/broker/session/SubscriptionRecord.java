package io.vane.broker.session;

/**
 * One subscription a session holds, as granted.
 *
 * @param filter the filter as the client sent it, including any {@code $share/group/} prefix
 * @param topicFilter the filter that is matched (without the share prefix)
 * @param shareGroup the shared subscription group, or null
 * @param qos the granted maximum QoS
 * @param subscriptionId the 5.0 Subscription Identifier, 0 when none
 */
public record SubscriptionRecord(String filter, String topicFilter, String shareGroup, int qos, boolean noLocal,
        boolean retainAsPublished, int retainHandling, int subscriptionId) {

    public boolean isShared() {
        return shareGroup != null;
    }
}
