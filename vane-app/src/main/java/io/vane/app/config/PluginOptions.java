package io.vane.app.config;

import io.vane.broker.security.DynamicSecurity;
import io.vane.broker.security.SecurityFileException;
import java.nio.file.Path;

/**
 * {@code plugin} and {@code plugin_opt_config_file}: Mosquitto's dynamic-security plugin is not loaded but
 * its JSON file is read and enforced (docs/decisions/0022); any other plugin stops start-up, because
 * starting without it would drop its access control.
 */
final class PluginOptions {
    /** The plugin's file name in Debian's, Alpine's and the Docker image's packages. */
    static final String DYNAMIC_SECURITY = "mosquitto_dynamic_security.so";
    static final String OTHER_PLUGIN = "Vane does not load Mosquitto plugins other than dynamic security; do not"
            + " comment it out: the plugin's access control would be gone and its topics open; move its users to"
            + " password_file and acl_file (vane passwd) first";

    private PluginOptions() {
    }

    /** Where a dynamic-security plugin line was read, and which security scope it is for. */
    static final class Line {
        final Path file;
        final int line;
        /** The listener section with per_listener_settings true; null for every listener. */
        final ListenerDraft scope;
        Path configFile;

        Line(Path file, int line, ListenerDraft scope) {
            this.file = file;
            this.line = line;
            this.scope = scope;
        }
    }

    static void plugin(ConfigDraft d, String v) throws ValueProblem {
        Path name = Path.of(v.strip()).getFileName();
        if (name == null || !name.toString().equals(DYNAMIC_SECURITY)) {
            throw new ValueProblem("'plugin' is not supported yet; " + OTHER_PLUGIN);
        }
        ListenerDraft scope = d.perListenerSettings ? d.current : null;
        for (Line other : d.dynsecPlugins) {
            if (other.scope == scope) {
                throw new ValueProblem("the dynamic-security plugin is already loaded at " + other.file + ":"
                        + other.line + "; remove this line");
            }
        }
        d.dynsecPlugins.add(new Line(d.file, d.line, scope));
        d.notice("plugin " + name + " is not loaded: Vane reads its plugin_opt_config_file and enforces its clients,"
                + " groups and roles itself; $CONTROL/dynamic-security is not served, so mosquitto_ctrl cannot change"
                + " it at run time: edit the file and reload Vane (SIGHUP)");
    }

    /** The file of the latest plugin line; after another plugin's line, or none, it is ignored as before. */
    static void configFile(ConfigDraft d, String v) throws ValueProblem {
        Line last = d.dynsecPlugins.isEmpty() ? null : d.dynsecPlugins.get(d.dynsecPlugins.size() - 1);
        if (last == null || last.configFile != null) {
            d.notice("plugin_opt_config_file is ignored: an option of a plugin, which Vane does not load (see the"
                    + " plugin line)");
            return;
        }
        Path file = d.resolve(v.strip());
        try {
            DynamicSecurity.load(file);
        } catch (SecurityFileException e) {
            throw new ValueProblem("plugin_opt_config_file " + e.getMessage());
        }
        last.configFile = file;
    }

    /** After the whole file: each plugin line has its file, and is not mixed with password_file or acl_file. */
    static void check(ConfigDraft d) {
        for (Line p : d.dynsecPlugins) {
            if (p.configFile == null) {
                d.problems.add(new ConfigException(p.file, p.line, "the dynamic-security plugin needs its file; write"
                        + " plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json after this line (mosquitto_ctrl"
                        + " dynsec init FILE admin makes one)"));
            }
            boolean mixed = p.scope == null ? d.passwordFile != null || d.aclFile != null
                    : p.scope.passwordFile != null || p.scope.aclFile != null;
            if (mixed) {
                d.problems.add(new ConfigException(p.file, p.line, "Vane takes users and ACLs from one place per"
                        + " listener: the dynamic-security file, or password_file and acl_file; move those users into"
                        + " the dynamic-security file (mosquitto_ctrl dynsec createClient), or remove the plugin lines"));
            }
            if (p.scope == null) {
                d.dynsecFile = p.configFile;
            } else {
                p.scope.dynsecFile = p.configFile;
            }
        }
    }
}
