package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.broker.auth.ClientIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mosquitto's ACL semantics, rule by rule. */
class AclFileTest {
    static final ClientIdentity ANON = new ClientIdentity("anon-1", null, 1883);
    static final ClientIdentity WEE = new ClientIdentity("weewx", "weemqtt", 1883);
    static final ClientIdentity BOB = new ClientIdentity("bob-phone", "bob", 1883);

    /** The seed how-to's ACL file, exactly. */
    static final List<String> SEED = List.of("topic read $SYS/#", "", "#--- weewx related ---",
            "# user r/w for these topics", "user weemqtt", "topic weewx/#", "topic weetest/#", "topic weather/#", "",
            "# This affects all clients.", "pattern write $SYS/broker/connection/%c/state");

    private static AclFile acl(String... lines) throws SecurityFileException {
        return AclFile.parse("acl", List.of(lines));
    }

    @Test
    void theSeedsChecks() throws Exception {
        AclFile acl = AclFile.parse("acl", SEED);
        assertThat(acl.canWrite(ANON, "testing")).isFalse();
        assertThat(acl.canWrite(ANON, "weetest/testing")).isFalse();
        assertThat(acl.canWrite(WEE, "weetest/testing")).isTrue();
        assertThat(acl.canRead(ANON, "$SYS/broker/uptime")).isTrue();
        assertThat(acl.canWrite(ANON, "$SYS/broker/connection/anon-1/state")).as("pattern for everyone").isTrue();
        assertThat(acl.canWrite(ANON, "$SYS/broker/connection/other/state")).isFalse();
    }

    @Test
    void topicLinesBeforeAnyUserApplyToAnonymousClientsOnly() throws Exception {
        AclFile acl = acl("topic read public/#", "user bob", "topic bob/#");
        assertThat(acl.canRead(ANON, "public/x")).isTrue();
        assertThat(acl.canRead(BOB, "public/x")).as("no inheritance").isFalse();
        assertThat(acl.canRead(BOB, "bob/x")).isTrue();
        assertThat(acl.canRead(ANON, "bob/x")).isFalse();
        assertThat(acl.canRead(WEE, "bob/x")).as("a user without a block").isFalse();
    }

    @Test
    void accessWords() throws Exception {
        AclFile acl = acl("user bob", "topic read r", "topic write w", "topic readwrite rw", "topic plain");
        assertThat(acl.canRead(BOB, "r")).isTrue();
        assertThat(acl.canWrite(BOB, "r")).isFalse();
        assertThat(acl.canWrite(BOB, "w")).isTrue();
        assertThat(acl.canRead(BOB, "w")).isFalse();
        assertThat(acl.canRead(BOB, "rw")).isTrue();
        assertThat(acl.canWrite(BOB, "rw")).isTrue();
        assertThat(acl.canWrite(BOB, "plain")).as("no access word means readwrite").isTrue();
    }

    @Test
    void denyIsCheckedFirst() throws Exception {
        AclFile acl = acl("user bob", "topic home/#", "topic deny home/secret");
        assertThat(acl.canRead(BOB, "home/lamp")).isTrue();
        assertThat(acl.canRead(BOB, "home/secret")).isFalse();
        assertThat(acl.canWrite(BOB, "home/secret")).isFalse();
    }

    @Test
    void patternsWithClientIdAndUserName() throws Exception {
        AclFile acl = acl("pattern readwrite devices/%c/#", "pattern read users/%u/#");
        assertThat(acl.canWrite(BOB, "devices/bob-phone/gps")).isTrue();
        assertThat(acl.canWrite(BOB, "devices/other/gps")).isFalse();
        assertThat(acl.canRead(BOB, "users/bob/inbox")).isTrue();
        assertThat(acl.canRead(ANON, "users/null/inbox")).as("%u never matches anonymous").isFalse();
        assertThat(acl.canWrite(new ClientIdentity("a+b", "bob", 1), "devices/a+b/x")).as("wildcard ids").isFalse();
    }

    @Test
    void dollarTopicsNeedADollarRule() throws Exception {
        AclFile acl = acl("topic read #", "user bob", "topic #");
        assertThat(acl.canRead(ANON, "$SYS/broker/uptime")).isFalse();
        assertThat(acl.canRead(ANON, "weather/loop")).isTrue();
        assertThat(acl.canWrite(BOB, "$SYS/broker/uptime")).isFalse();
    }

    @Test
    void subscribeIsGrantedWhenAReadRuleOverlapsTheFilter() throws Exception {
        AclFile acl = AclFile.parse("acl", SEED);
        assertThat(acl.canSubscribe(WEE, "weather/loop")).isTrue();
        assertThat(acl.canSubscribe(WEE, "#")).as("broader than a rule: granted, filtered per message").isTrue();
        assertThat(acl.canSubscribe(ANON, "weather/#")).isFalse();
        assertThat(acl.canSubscribe(ANON, "$SYS/broker/uptime")).isTrue();
        AclFile denied = acl("user bob", "topic home/#", "topic deny home/secret/#");
        assertThat(denied.canSubscribe(BOB, "home/secret/#")).isFalse();
    }

    @Test
    void badLinesNameFileAndLine() {
        assertThatThrownBy(() -> acl("topic read a", "topik b")).isInstanceOf(SecurityFileException.class)
                .hasMessageStartingWith("acl:2: unknown keyword 'topik'");
        assertThatThrownBy(() -> acl("user")).hasMessageStartingWith("acl:1: 'user' needs a user name");
        assertThatThrownBy(() -> acl("topic read")).hasMessageStartingWith("acl:1: 'topic read' needs a topic");
    }
}
