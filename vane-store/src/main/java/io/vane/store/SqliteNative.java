package io.vane.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where sqlite-jdbc's native library is loaded from. Left to itself, sqlite-jdbc copies the library
 * (about 1 MB) into {@code java.io.tmpdir} under a new random name at every start and deletes it at a
 * normal exit only: after each kill -9 or power cut one more copy stays behind (854 copies, 453 MB,
 * had piled up in /tmp on the machine the crash tests run on), which on a Raspberry Pi with a small
 * /tmp ends in a full disk. Vane instead keeps one copy per library content in a folder of its own beside
 * its store, written once and checked before each use, and tells sqlite-jdbc to load that.
 */
public final class SqliteNative {
    private static final Logger LOG = LoggerFactory.getLogger("vane.store");
    /** The folder, beside the store's files, that holds the library. */
    public static final String FOLDER = "vane-native";
    private static boolean prepared;

    private SqliteNative() {
    }

    /**
     * Makes sqlite-jdbc load its library from {@code dir}/{@value #FOLDER}, copying it there first if it
     * is not there yet (or not the same bytes). Must run before the first SQLite connection in this
     * process; later calls, and calls after the user chose {@code org.sqlite.lib.path} himself, do nothing.
     * When the folder cannot be used, sqlite-jdbc's own way is left in place and a line says so.
     */
    public static synchronized void prepare(Path dir) {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/"
                + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
        byte[] bytes;
        try (InputStream in = SqliteNative.class.getResourceAsStream(resource)) {
            if (in == null) {
                return; // no bundled library for this system: sqlite-jdbc says what it needs
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        String name = String.format("libsqlitejdbc-%s-%08x%s", org.sqlite.SQLiteJDBCLoader.getVersion(),
                crc.getValue(), extensionOf(org.sqlite.util.LibraryLoaderUtil.getNativeLibName()));
        Path folder = dir.resolve(FOLDER);
        Path lib = folder.resolve(name);
        try {
            if (!Files.isRegularFile(lib) || !Arrays.equals(Files.readAllBytes(lib), bytes)) {
                Files.createDirectories(folder);
                Path partial = Files.createTempFile(folder, name, ".partial");
                Files.write(partial, bytes);
                Files.move(partial, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                restrict(lib);
                removeOthers(folder, name);
            }
            System.setProperty("org.sqlite.lib.path", folder.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Store: cannot keep SQLite's native library in {} ({}); it is copied into {} at each start"
                    + " instead.", folder, e.toString(), System.getProperty("java.io.tmpdir"));
        }
    }

    private static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot);
    }

    private static void restrict(Path lib) {
        try {
            Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    /** Copies of other library versions (Vane was upgraded) and partial copies are not needed any more. */
    private static void removeOthers(Path folder, String keep) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (!n.equals(keep) && n.startsWith("libsqlitejdbc-")) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
