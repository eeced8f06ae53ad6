package io.vane.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files a websockets listener serves over plain HTTP: first the listener's {@code http_dir} (when
 * set), then the classpath folder {@code vane/www/} (where the dashboard module puts its page), and
 * {@code /webjars/...} from WebJars on the classpath. Directories are never listed; a path ending in
 * "/" serves that folder's {@code index.html}. Paths reach here already checked by {@link RequestPath}.
 *
 * <p>Thread-safe: classpath files cannot change while running, so they are read once and cached;
 * files from {@code http_dir} are read on each request, as they may be edited.
 */
public final class StaticContent {
    /** Classpath folder for the page and its assets; a later dashboard module drops files here. */
    public static final String CLASSPATH_ROOT = "vane/www/";
    static final String WEBJARS_PREFIX = "webjars/";
    static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
    /** Larger files are refused: they are read whole (off the event loops), and a page has no business being larger. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private final Path httpDir;
    private final ClassLoader loader;
    private final Map<String, Resource> classpathCache = new ConcurrentHashMap<>();

    /** A file to send. {@code immutable} files (versioned WebJars) may be cached by browsers for a year. */
    record Resource(byte[] body, long lastModifiedMillis, String contentType, boolean immutable) {
        String etag() {
            return "\"" + Integer.toHexString(body.length) + "-" + Long.toHexString(lastModifiedMillis) + "\"";
        }
    }

    public StaticContent(Path httpDir, ClassLoader loader) {
        this.httpDir = httpDir == null ? null : realOrAbsolute(httpDir);
        this.loader = loader;
    }

    /** The file for a checked relative path, or null when there is none (answer 404). */
    Resource find(String relPath) {
        String path = relPath.isEmpty() || relPath.endsWith("/") ? relPath + "index.html" : relPath;
        if (path.startsWith(WEBJARS_PREFIX)) {
            return fromClasspath(WEBJARS_ROOT + path.substring(WEBJARS_PREFIX.length()), path, true);
        }
        if (httpDir != null) {
            Resource r = fromDir(path);
            if (r != null) {
                return r;
            }
        }
        return fromClasspath(CLASSPATH_ROOT + path, path, false);
    }

    /**
     * The file for a checked relative path when it can be had without reading anything (a classpath
     * file read before, not shadowed by {@code http_dir}); null when {@link #find} must do I/O.
     */
    Resource cached(String relPath) {
        String path = relPath.isEmpty() || relPath.endsWith("/") ? relPath + "index.html" : relPath;
        if (path.startsWith(WEBJARS_PREFIX)) {
            return classpathCache.get(WEBJARS_ROOT + path.substring(WEBJARS_PREFIX.length()));
        }
        return httpDir != null ? null : classpathCache.get(CLASSPATH_ROOT + path);
    }

    private Resource fromDir(String path) {
        Path file = httpDir.resolve(path).normalize();
        try {
            if (!file.startsWith(httpDir) || !Files.exists(file)) {
                return null;
            }
            // A symbolic link inside the folder must not lead out of it.
            Path real = file.toRealPath();
            if (!real.startsWith(httpDir)) {
                return null;
            }
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() > MAX_FILE_BYTES) {
                return null;
            }
            return new Resource(Files.readAllBytes(real), attrs.lastModifiedTime().toMillis(), ContentTypes.of(path),
                    false);
        } catch (IOException e) {
            return null;
        }
    }

    private Resource fromClasspath(String name, String path, boolean immutable) {
        Resource cached = classpathCache.get(name);
        if (cached != null) {
            return cached;
        }
        URL url = loader.getResource(name);
        if (url == null) {
            return null;
        }
        Resource r;
        try {
            r = read(url, path, immutable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (r != null) {
            classpathCache.put(name, r);
        }
        return r;
    }

    /** Reads a classpath entry if it is a regular file; directories (jar or folder) give null. */
    private static Resource read(URL url, String path, boolean immutable) throws IOException {
        if ("file".equals(url.getProtocol())) {
            Path file;
            try {
                file = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                return null;
            }
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                return null;
            }
            return new Resource(Files.readAllBytes(file), Files.getLastModifiedTime(file).toMillis(),
                    ContentTypes.of(path), immutable);
        }
        URLConnection conn = url.openConnection();
        long modified = conn.getLastModified();
        if (conn instanceof JarURLConnection jar) {
            var entry = jar.getJarEntry();
            if (entry == null || entry.isDirectory() || entry.getSize() > MAX_FILE_BYTES) {
                return null;
            }
            modified = entry.getTime();
        }
        try (InputStream in = conn.getInputStream()) {
            byte[] body = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (body.length > MAX_FILE_BYTES) {
                return null;
            }
            return new Resource(body, Math.max(modified, 0), ContentTypes.of(path), immutable);
        }
    }

    private static Path realOrAbsolute(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }
}
