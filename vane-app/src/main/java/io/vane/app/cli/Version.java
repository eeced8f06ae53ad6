package io.vane.app.cli;

import picocli.CommandLine.IVersionProvider;

/** Vane's version from the jar manifest (Implementation-Version), or "dev" when run from classes. */
public final class Version implements IVersionProvider {

    /** The running version. */
    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"vane version " + current()};
    }
}
