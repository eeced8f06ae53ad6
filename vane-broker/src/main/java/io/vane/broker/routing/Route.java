package io.vane.broker.routing;

/** What a subscription trie entry routes a message to. */
public sealed interface Route permits Subscriber, SharedGroup, LocalSubscriber {
}
