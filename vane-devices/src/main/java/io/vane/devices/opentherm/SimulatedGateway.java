package io.vane.devices.opentherm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A thermostat, a boiler and the gateway between them, exchanging frames as the real ones do, and
 * answering the gateway's commands as its firmware does ({@code TT: 20.50}, {@code OR}, {@code NG}).
 * A temporary or constant setpoint (TT, TC) is offered to the thermostat through ID 9 (remote override
 * room setpoint), which it adopts; a control setpoint override (CS) is written to the boiler in the
 * thermostat's place ({@code R}), and an outside temperature (OT) answered to it ({@code A}). The room
 * warms while the flame burns and cools while it does not. Deterministic: no randomness.
 *
 * <p>Not thread-safe: its one caller ({@link SimulatedLink}, a test's fake gateway) serialises.
 */
public final class SimulatedGateway {
    /** The IDs the simulated thermostat asks about, in its order; a few per tick. */
    private static final int[] CYCLE = {0, 1, 9, 16, 24, 25, 28, 17, 18, 26, 27, 0, 56, 57, 14, 116, 120, 125, 127, 3};
    private static final int PER_TICK = 7;

    private double room = 19.6;
    private final double program = 20.0;
    private double flow = 35.0;
    private double override;
    private boolean constant;
    private double outsideOverride = Double.NaN;
    private double ctrlOverride;
    private int chEnableOverride = -1;
    private double maxCh = 75;
    private double dhwSetpoint = 55;
    private int maxModulation = 100;
    private int burnerStarts = 4711;
    private int burnerHours = 12345;
    private boolean flame;
    private int position;
    private long commands;

    /** The frames of the next tick, as the gateway prints them ({@code T80000200}). */
    public List<String> tick() {
        step();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < PER_TICK; i++) {
            exchange(CYCLE[position], out);
            position = (position + 1) % CYCLE.length;
        }
        return out;
    }

    private double setpoint() {
        return override > 0 ? override : program;
    }

    private double thermostatControl() {
        double demand = setpoint() - room;
        return demand <= 0.05 ? 10 : Math.min(maxCh, 30 + demand * 25);
    }

    private double control() {
        return ctrlOverride > 0 ? ctrlOverride : thermostatControl();
    }

    private boolean chEnable() {
        return chEnableOverride >= 0 ? chEnableOverride == 1 : true;
    }

    private double modulation() {
        return flame ? Math.max(12, Math.min(maxModulation, (control() - flow + 5) * 6)) : 0;
    }

    private void step() {
        boolean wasOn = flame;
        flame = chEnable() && control() > 20 && flow < control() + 3;
        if (flame && !wasOn) {
            burnerStarts++;
        }
        flow += flame ? Math.min(2.0, (control() + 2 - flow) / 4) : (20 - flow) / 30;
        room += flame ? 0.03 : -0.01;
    }

    private void exchange(int id, List<String> out) {
        switch (id) {
            case 0 -> {
                int master = (chEnable() ? 1 : 0) | 1 << 1; // CH and DHW enabled
                int slave = (flame ? 1 << 1 | 1 << 3 : 0);
                out.add(line('T', MessageType.READ_DATA, 0, master << 8));
                out.add(line('B', MessageType.READ_ACK, 0, master << 8 | slave));
            }
            case 1 -> {
                int own = f88(thermostatControl());
                out.add(line('T', MessageType.WRITE_DATA, 1, own));
                if (ctrlOverride > 0) {
                    out.add(line('R', MessageType.WRITE_DATA, 1, f88(ctrlOverride)));
                    out.add(line('B', MessageType.WRITE_ACK, 1, f88(ctrlOverride)));
                    out.add(line('A', MessageType.WRITE_ACK, 1, own));
                } else {
                    out.add(line('B', MessageType.WRITE_ACK, 1, own));
                }
            }
            case 9 -> {
                // The boiler does not know ID 9; the gateway answers with its override (0: none).
                out.add(line('T', MessageType.READ_DATA, 9, 0));
                out.add(line('B', MessageType.UNKNOWN_DATA_ID, 9, 0));
                out.add(line('A', MessageType.READ_ACK, 9, f88(override)));
            }
            case 16 -> write(16, setpoint(), out);
            case 24 -> write(24, room, out);
            case 14 -> write(14, maxModulation, out);
            case 25 -> read(25, f88(flow), out);
            case 28 -> read(28, f88(flow - (flame ? 8 : 2)), out);
            case 17 -> read(17, f88(modulation()), out);
            case 18 -> read(18, f88(1.6), out);
            case 26 -> read(26, f88(dhwSetpoint - 3), out);
            case 27 -> {
                out.add(line('T', MessageType.READ_DATA, 27, 0));
                out.add(line('B', MessageType.READ_ACK, 27, f88(7.5)));
                if (!Double.isNaN(outsideOverride)) {
                    out.add(line('A', MessageType.READ_ACK, 27, f88(outsideOverride)));
                }
            }
            case 56 -> read(56, f88(dhwSetpoint), out);
            case 57 -> read(57, f88(maxCh), out);
            case 116 -> read(116, burnerStarts, out);
            case 120 -> read(120, burnerHours, out);
            case 125 -> read(125, f88(3.0), out);
            case 127 -> read(127, 0x1C << 8 | 0x05, out);
            case 3 -> read(3, 0x01 << 8 | 0x2D, out); // DHW present, member id 45
            default -> { }
        }
    }

    private static void write(int id, double value, List<String> out) {
        out.add(line('T', MessageType.WRITE_DATA, id, f88(value)));
        out.add(line('B', MessageType.WRITE_ACK, id, f88(value)));
    }

    private static void read(int id, int value, List<String> out) {
        out.add(line('T', MessageType.READ_DATA, id, 0));
        out.add(line('B', MessageType.READ_ACK, id, value));
    }

    static int f88(double v) {
        return (int) Math.round(v * 256) & 0xFFFF;
    }

    private static String line(char from, MessageType type, int id, int value) {
        return from + OtFrame.of(type, id, value).hex();
    }

    /** The gateway's answer to one command line ({@code TT=20.5}), as its firmware words it. */
    public String command(String line) {
        commands++;
        String s = line.strip();
        if (!s.matches("[A-Z]{2}=.*")) {
            return "SE";
        }
        String code = s.substring(0, 2);
        String arg = s.substring(3);
        try {
            return switch (code) {
                case "TT", "TC" -> {
                    double t = number(arg, 0, 30);
                    override = t;
                    constant = code.equals("TC") && t > 0;
                    yield code + ": " + two(t);
                }
                case "OT" -> {
                    double t = Double.parseDouble(arg);
                    outsideOverride = t < -40 || t > 64 ? Double.NaN : t;
                    yield "OT: " + (Double.isNaN(outsideOverride) ? "-" : two(t));
                }
                case "CS" -> {
                    ctrlOverride = number(arg, 0, 90);
                    yield "CS: " + two(ctrlOverride);
                }
                case "SH" -> {
                    maxCh = number(arg, 0, 90);
                    yield "SH: " + two(maxCh);
                }
                case "SW" -> {
                    dhwSetpoint = number(arg, 0, 80);
                    yield "SW: " + two(dhwSetpoint);
                }
                case "MM" -> {
                    maxModulation = (int) number(arg, 0, 100);
                    yield "MM: " + maxModulation;
                }
                case "CH" -> {
                    chEnableOverride = (int) number(arg, 0, 1);
                    yield "CH: " + chEnableOverride;
                }
                case "HW", "GW" -> {
                    String w = arg.toUpperCase(Locale.ROOT);
                    if (!w.matches(code.equals("HW") ? "[01PA]" : "[01R]")) {
                        yield "BV";
                    }
                    yield code + ": " + w;
                }
                case "PR" -> "PR: " + arg + "=OpenTherm Gateway 6.5 (simulated by Vane)";
                default -> "NG";
            };
        } catch (NumberFormatException e) {
            return "BV";
        } catch (IllegalArgumentException e) {
            return "OR";
        }
    }

    private static double number(String arg, double min, double max) {
        double v = Double.parseDouble(arg);
        if (v < min || v > max) {
            throw new IllegalArgumentException("out of range");
        }
        return v;
    }

    private static String two(double v) {
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** The room setpoint the thermostat follows now: the override if one is set, else its program's. */
    public double roomSetpoint() {
        return setpoint();
    }

    /** Commands answered so far. */
    public long commands() {
        return commands;
    }
}
