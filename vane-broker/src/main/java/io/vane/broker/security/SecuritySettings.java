package io.vane.broker.security;

import java.nio.file.Path;

/**
 * What one listener (or every listener, without per_listener_settings) says about security.
 *
 * @param allowAnonymous allow_anonymous; null when not written: then Vane's secure default applies
 *     (anonymous clients may read the sensor topics and $SYS/broker and publish nowhere)
 * @param passwordFile password_file, or null
 * @param aclFile acl_file, or null
 * @param dynamicSecurity the dynamic-security plugin's JSON file (plugin_opt_config_file), or null; it takes
 *     the place of password_file and acl_file
 */
public record SecuritySettings(Boolean allowAnonymous, Path passwordFile, Path aclFile, Path dynamicSecurity) {
    public static final SecuritySettings DEFAULTS = new SecuritySettings(null, null, null);

    public SecuritySettings(Boolean allowAnonymous, Path passwordFile, Path aclFile) {
        this(allowAnonymous, passwordFile, aclFile, null);
    }
}
