package org.digitlab.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.digitlab.data.CannotWriteException;

/**
 * An operating-system lock on {@code DIR/run.lock} ({@link FileChannel#tryLock()}), held while one process writes
 * DIR (a training run, an evaluation), so a second process that would write the same directory stops at once and
 * names the holder. The file records who holds it ({@code {"pid", "host", "since", "command"}}) and is emptied when
 * the lock is let go. The lock dies with its process, so a killed run leaves no stale lock; the file itself stays
 * (deleting it could let two processes lock two different files of one name).
 */
public final class DirectoryLock implements AutoCloseable {
    /** The lock file inside the locked directory. */
    public static final String FILE = "run.lock";
    /** A holder record is a few hundred bytes; more is not ours. */
    private static final int HOLDER_LIMIT = 64 * 1024;
    /**
     * Locks this JVM holds, by lock file. The OS lock belongs to the process, so threads must be told apart here,
     * and another channel on a locked file must never be opened and closed: on POSIX that lets the lock go.
     */
    private static final Map<Path, Map<String, Object>> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it for this process.
     *
     * @param what    names the directory in messages, e.g. "run directory"
     * @param command what this process does there, recorded for whoever finds the directory locked
     * @throws IllegalArgumentException in one line naming the holder when another process (or another command in
     *                                  this one) holds the lock
     */
    public static DirectoryLock acquire(Path dir, String what, String command) {
        Path file;
        try {
            Files.createDirectories(dir);
            file = dir.toRealPath().resolve(FILE);
        } catch (IOException e) {
            throw CannotWriteException.of(dir, what, e);
        }
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("pid", ProcessHandle.current().pid());
        me.put("host", host());
        me.put("since", Instant.now().toString());
        me.put("command", command);
        Map<String, Object> holder = HELD.putIfAbsent(file, me);
        if (holder != null) {
            throw busy(dir, what, holder);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(dir, what, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(AppFiles.JSON.writeValueAsBytes(me)), 0);
            channel.force(false);
            return new DirectoryLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            closeQuietly(channel);
            if (e instanceof IOException io) {
                throw CannotWriteException.of(file, "lock file", io);
            }
            throw e instanceof OverlappingFileLockException ? busy(dir, what, null) : (RuntimeException) e;
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Empties the lock file and lets the lock go. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // Closing the channel below lets the lock go all the same; a stale record is only a record.
        } finally {
            closeQuietly(channel);
            HELD.remove(file);
        }
    }

    /** This machine's name, as {@code $HOSTNAME} or the resolver gives it. */
    public static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** What the holder wrote, read through our own channel (never a second one: see {@link #HELD}). */
    private static Map<String, Object> holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(HOLDER_LIMIT, Math.max(0, channel.size())));
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return null;
            }
            JsonNode node = AppFiles.JSON.readTree(text);
            Map<String, Object> holder = new LinkedHashMap<>();
            for (String key : new String[] {"pid", "host", "since", "command"}) {
                holder.put(key, node.path(key).asText("?"));
            }
            return holder;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static IllegalArgumentException busy(Path dir, String what, Map<String, Object> holder) {
        String who = holder == null ? "another process (it has just started, or left no record)"
                : "process " + holder.get("pid") + " on " + holder.get("host") + " since " + holder.get("since")
                        + " ('" + holder.get("command") + "')";
        return new IllegalArgumentException(what + " " + dir + " is in use: " + who + " holds its lock "
                + dir.resolve(FILE) + "; wait for it to finish, or choose another directory");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written through it that matters.
        }
    }
}
