package io.vane.app;

/** Entry point of the {@code vane} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("vane: not yet wired");
    }
}
