package io.vane.broker.routing;

import io.vane.broker.Message;
import java.util.function.Consumer;

/**
 * An in-process subscriber (dashboard history, device bridges, tests). Its consumer runs on the
 * publisher's thread and must not block.
 */
public record LocalSubscriber(String id, Consumer<Message> consumer) implements Route {
}
