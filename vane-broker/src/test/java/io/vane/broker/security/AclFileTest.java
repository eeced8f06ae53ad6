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
        assertThatThrownBy(() -> acl("topic read a/#/b")).hasMessageStartingWith("acl:1: 'a/#/b' is not a valid topic filter");
    }

    /** Rules exercised by the tables below (shared with the security work on another branch). */
    private static final List<String> RULES = List.of(
            "# anonymous lines come first",
            "  topic read public/#   ",
            "topic write inbox/anon",
            "topic $SYS/#",
            "",
            "user alice",
            "topic readwrite home/#",
            "topic deny home/secret/#",
            "topic read #",
            "user bob",
            "topic write bob/out",
            "pattern readwrite devices/%c/#",
            "pattern read users/%u/inbox",
            "pattern deny devices/%c/locked",
            "");

    private static ClientIdentity who(String client, String user) {
        return new ClientIdentity(client, user, 1883);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
        "read,  c1, -,     public/news,        true",   // anonymous line, read
        "write, c1, -,     public/news,        false",  // read only
        "write, c1, -,     inbox/anon,         true",
        "read,  c1, -,     inbox/anon,         false",
        "read,  c1, -,     $SYS/broker/uptime, true",   // no access word = readwrite
        "write, c1, -,     $SYS/broker/uptime, false",  // but $SYS is never writable (Mosquitto's acl__check_dollar)
        "read,  c1, alice, public/news,        true",   // via alice's '#'
        "write, c1, alice, inbox/anon,         false",  // no inheritance of anonymous lines
        "read,  c1, alice, $SYS/broker/uptime, false",  // '#' does not match $ topics
        "write, c1, alice, home/kitchen,       true",
        "write, c1, alice, home/secret/x,      false",  // deny checked first, though listed later
        "read,  c1, alice, home/secret,        false",  // home/secret/# also matches home/secret
        "write, c1, bob,   bob/out,            true",
        "read,  c1, bob,   public/news,        false",
        "write, c1, carol, bob/out,            false",  // user without block: patterns only
        "write, c1, carol, devices/c1/state,   true",   // %c
        "write, c1, -,     devices/c1/state,   true",   // %c applies to anonymous clients too
        "write, c2, carol, devices/c1/state,   false",
        "write, c1, carol, devices/c1/locked,  false",  // pattern deny first
        "read,  c1, carol, users/carol/inbox,  true",   // %u
        "read,  c1, carol, users/dave/inbox,   false",
        "read,  c1, -,     users/%u/inbox,     false",  // %u never matches anonymous
        "write, c+, carol, devices/c+/state,   false",  // wildcard client id: no pattern applies
        "read,  c1, ca#,   users/ca#/inbox,    false",
        "write, a/b, carol, devices/a/b/state, false",  // '/' in client id never matches a level
    })
    void rulesFollowMosquitto(String op, String client, String user, String topic, boolean allowed) throws Exception {
        AclFile acl = AclFile.parse("acl", RULES);
        boolean actual = op.equals("read") ? acl.canRead(who(client, user), topic) : acl.canWrite(who(client, user), topic);
        assertThat(actual).isEqualTo(allowed);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "subscribe {0} {1} {2} -> {3}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
        "c1, -,     public/#,          true",   // equal
        "c1, -,     public/news,       true",   // covered by the ACL
        "c1, -,     #,                 true",   // overlaps public/#, deliveries filtered by canRead
        "c1, -,     +/news,            true",
        "c1, -,     inbox/anon,        false",  // write only
        "c1, -,     private/#,         false",
        "c1, -,     $SYS/#,            true",
        "c1, alice, home/#,            true",
        "c1, alice, home/secret/#,     false",  // wholly denied
        "c1, alice, home/secret/a/b,   false",
        "c1, alice, $SYS/#,            false",  // alice's '#' never reaches $ topics
        "c1, carol, devices/c1/#,      true",
        "c1, carol, devices/c1/locked, false",
        "c1, carol, devices/+/state,   true",   // overlaps devices/c1/state
        "c1, carol, users/carol/inbox, true",
    })
    void subscribeNeedsReadableOverlapAndNoCoveringDeny(String client, String user, String filter, boolean allowed)
            throws Exception {
        assertThat(AclFile.parse("acl", RULES).canSubscribe(who(client, user), filter)).isEqualTo(allowed);
    }

    @Test
    void oneWordIsTheTopicWithReadwriteAndOddWhitespaceIsFine() throws Exception {
        assertThat(acl("topic read").canWrite(ANON, "read")).isTrue();
        AclFile acl = acl("topic\tread  a/b\r", "user  x y \r", "topic c\r");
        assertThat(acl.canRead(ANON, "a/b")).isTrue();
        assertThat(acl.canWrite(new ClientIdentity("c", "x y", 1), "c")).isTrue();
        assertThat(acl("# nothing").canRead(ANON, "a")).isFalse();
    }

    @Test
    void readingWeatherHashAllowsSubscribingToItsLeavesAndItself() throws Exception {
        AclFile acl = acl("topic read weather/#");
        assertThat(acl.canSubscribe(ANON, "weather/loop")).isTrue();
        assertThat(acl.canSubscribe(ANON, "weather/#")).isTrue();
        assertThat(acl.canSubscribe(ANON, "weather")).isTrue();
        assertThat(acl.canSubscribe(ANON, "weatherstation/#")).isFalse();
    }
}
