package io.vane.broker;

import io.vane.broker.auth.Authenticator;
import io.vane.broker.auth.Authorizer;
import io.vane.broker.routing.RetainedMessages;
import io.vane.broker.routing.Router;
import io.vane.broker.security.FailedLoginLimiter;
import io.vane.broker.session.SessionRegistry;
import java.util.function.LongSupplier;

/**
 * The broker's shared parts, handed to every packet handler. Built once by {@link Broker}.
 *
 * @param clock wall-clock milliseconds; injected so tests control expiry without sleeping
 * @param loginLimiter slows down repeated failed logins from one address
 * @param passwordWork where slow password checks run, off the event loops
 * @param paths loop and duplicate detection for messages crossing bridges
 */
public record BrokerContext(BrokerSettings settings, BrokerStats stats, SessionRegistry sessions, Router router,
        RetainedMessages retained, MessagePublisher publisher, Authenticator authenticator, Authorizer authorizer,
        LongSupplier clock, FailedLoginLimiter loginLimiter, Subscriptions subscriptions, io.vane.broker.bridge.BridgePaths paths,
        io.vane.broker.security.PasswordWork passwordWork) {
}
