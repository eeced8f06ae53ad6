package io.vane.devices.opentherm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every command's code and its range: what is refused never reaches the gateway. */
class CommandsTest {

    @Test
    void namesBecomeGatewayCommands() {
        assertThat(Commands.line("setpoint", "20.5")).isEqualTo("TT=20.5");
        assertThat(Commands.line("setpoint", " 21.00\n")).isEqualTo("TT=21");
        assertThat(Commands.line("setpoint", "0")).isEqualTo("TT=0");
        assertThat(Commands.line("constant", "19")).isEqualTo("TC=19");
        assertThat(Commands.line("outside", "-3.5")).isEqualTo("OT=-3.5");
        assertThat(Commands.line("hotwater", "p")).isEqualTo("HW=P");
        assertThat(Commands.line("maxchsetpt", "60")).isEqualTo("SH=60");
        assertThat(Commands.line("maxdhwsetpt", "55")).isEqualTo("SW=55");
        assertThat(Commands.line("maxmodulation", "80")).isEqualTo("MM=80");
        assertThat(Commands.line("ctrlsetpt", "45.5")).isEqualTo("CS=45.5");
        assertThat(Commands.line("chenable", "1")).isEqualTo("CH=1");
        assertThat(Commands.line("gatewaymode", "r")).isEqualTo("GW=R");
        assertThat(Commands.line("command", "PR=A")).isEqualTo("PR=A");
    }

    @Test
    void outOfRangeAndMalformedValuesAreRefused() {
        assertThatThrownBy(() -> Commands.line("setpoint", "99")).hasMessage("setpoint 99 is out of range: 0 to 30 in"
                + " steps of 0.01 (temporary room setpoint in °C, 0 gives control back)");
        assertThatThrownBy(() -> Commands.line("setpoint", "-1")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Commands.line("setpoint", "20.123")).hasMessageContaining("steps of 0.01");
        assertThatThrownBy(() -> Commands.line("setpoint", "warm")).hasMessageContaining("takes a number from 0 to 30");
        assertThatThrownBy(() -> Commands.line("maxmodulation", "50.5")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> Commands.line("outside", "65")).hasMessageContaining("-40 to 64");
        assertThatThrownBy(() -> Commands.line("hotwater", "2")).hasMessageContaining("takes 0, 1, P, A");
        assertThatThrownBy(() -> Commands.line("chenable", "yes")).hasMessageContaining("takes 0, 1");
        assertThatThrownBy(() -> Commands.line("boost", "1")).hasMessageStartingWith("no command 'boost'");
        assertThat(Commands.pingToken(" abc-123 ")).isEqualTo("abc-123");
        assertThatThrownBy(() -> Commands.pingToken("a\"b")).hasMessageStartingWith("ping takes");
        // A raw command is one line of the gateway's syntax: no second command smuggled after a line end.
        assertThatThrownBy(() -> Commands.line("command", "TT=20\r\nGW=R")).hasMessageStartingWith("command takes");
        assertThatThrownBy(() -> Commands.line("command", "tt=20")).hasMessageStartingWith("command takes");
    }
}
