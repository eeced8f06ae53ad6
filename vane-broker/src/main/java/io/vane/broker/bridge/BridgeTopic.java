package io.vane.broker.bridge;

import io.vane.broker.routing.TopicMatcher;

/**
 * One {@code topic} line of a bridge (mosquitto.conf(5)): {@code topic PATTERN [in|out|both [QOS
 * [LOCAL_PREFIX REMOTE_PREFIX]]]}. The local filter is {@code localPrefix + pattern}, the remote one
 * {@code remotePrefix + pattern}; a topic crossing the bridge swaps one prefix for the other. An empty
 * pattern (written {@code ""}) remaps one topic: the prefixes are then the whole local and remote names.
 *
 * @param pattern the topic filter between the prefixes, possibly empty
 * @param direction which way messages cross
 * @param qos the maximum QoS of the bridge's subscriptions for this line, 0 to 2
 * @param localPrefix prepended on this broker, possibly empty
 * @param remotePrefix prepended on the remote broker, possibly empty
 */
public record BridgeTopic(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    /** Which way a topic line carries messages. */
    public enum Direction {
        /** From the remote broker to this one. */
        IN,
        /** From this broker to the remote one. */
        OUT,
        /** Both ways; No Local on both sides keeps a message from coming back. */
        BOTH;

        public boolean carriesIn() {
            return this != OUT;
        }

        public boolean carriesOut() {
            return this != IN;
        }
    }

    /** The filter the bridge subscribes to on this broker (for out and both). */
    public String localFilter() {
        return localPrefix + pattern;
    }

    /** The filter the bridge subscribes to on the remote broker (for in and both). */
    public String remoteFilter() {
        return remotePrefix + pattern;
    }

    /** The remote name of a local topic this line carries out, or null when it does not match. */
    public String toRemote(String localTopic) {
        // "a/#" also matches "a", which has no "a/" prefix to swap: such a topic does not cross.
        if (!direction.carriesOut() || !localTopic.startsWith(localPrefix)
                || !TopicMatcher.matches(localFilter(), localTopic)) {
            return null;
        }
        return remotePrefix + localTopic.substring(localPrefix.length());
    }

    /** The local name of a remote topic this line carries in, or null when it does not match. */
    public String toLocal(String remoteTopic) {
        if (!direction.carriesIn() || !remoteTopic.startsWith(remotePrefix)
                || !TopicMatcher.matches(remoteFilter(), remoteTopic)) {
            return null;
        }
        return localPrefix + remoteTopic.substring(remotePrefix.length());
    }
}
