package io.ancdb.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The stdio transport: requests on an input stream (System.in), responses
 * in order on an output stream (System.out), one {@link Session}; logs go to
 * stderr only. Ends at EOF.
 *
 * <p>A reader thread parses requests with {@link MessageReader} and hands
 * them to the thread that called {@link #run()}, which owns the session (and
 * so its transaction). That way {@link #stop()} (SIGTERM) can end the loop
 * even while the reader is blocked on a pipe that never closes: the session
 * is closed, rolling back an open transaction, on its own thread.
 */
public final class StdioServer {
    private static final int BUFFER = 64 * 1024;
    /** Requests parsed ahead of the session thread. */
    private static final int READ_AHEAD = 16;

    private sealed interface Item permits Request, End, Failure {
    }

    private record Request(byte[] bytes) implements Item {
    }

    private record End(String reason) implements Item {
    }

    private record Failure(ProtocolException error) implements Item {
    }

    private final CommandDispatcher dispatcher;
    private final Limits limits;
    private final InputStream in;
    private final OutputStream out;
    private final LinkedBlockingDeque<Item> queue = new LinkedBlockingDeque<>();
    private final Semaphore readAhead = new Semaphore(READ_AHEAD);
    private final CountDownLatch finished = new CountDownLatch(1);

    public StdioServer(CommandDispatcher dispatcher, Limits limits, InputStream in, OutputStream out) {
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.in = new BufferedInputStream(in, BUFFER);
        this.out = new BufferedOutputStream(out, BUFFER);
    }

    /**
     * Serves until EOF, a stream error or {@link #stop()}.
     *
     * @return 0 after EOF or stop; 1 after a protocol or I/O error
     */
    public int run() {
        Thread reader = Thread.ofPlatform().daemon().name("ancdb-stdio-reader").start(this::readLoop);
        long requests = 0;
        int code = 0;
        String reason;
        Session session = null;
        try {
            session = dispatcher.openSession();
            while (true) {
                Item item = queue.take();
                if (item instanceof Request(byte[] bytes)) {
                    readAhead.release();
                    requests++;
                    out.write(session.handle(bytes));
                    if (session.closeRequested()) {
                        reason = "closed by the server after a refused request";
                        code = 1;
                        break;
                    }
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                } else if (item instanceof Failure(ProtocolException e)) {
                    out.write(ErrorMapping.response(e));
                    reason = "protocol error: " + e.getMessage();
                    code = 1;
                    break;
                } else {
                    reason = ((End) item).reason();
                    code = reason.startsWith("i/o error") ? 1 : 0;
                    break;
                }
            }
            out.flush();
        } catch (IOException e) {
            reason = "cannot write responses: " + e.getMessage();
            code = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        } catch (RuntimeException | Error e) {
            reason = "internal error: " + e;
            code = 1;
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (RuntimeException e) {
                    Transport.log("stdio: closing the session failed: " + e);
                }
            }
            finished.countDown();
        }
        reader.interrupt();
        Transport.log("stdio closed: " + requests + " requests, " + reason);
        return code;
    }

    /** Ends {@link #run()} after the request in hand; waits up to {@code wait} for it. */
    public boolean stop(Duration wait) {
        queue.offerFirst(new End("stopped"));
        try {
            return finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void readLoop() {
        MessageReader reader = new MessageReader(in, limits);
        try {
            while (true) {
                readAhead.acquire();
                byte[] request = reader.next();
                if (request == null) {
                    queue.offer(new End("end of input"));
                    return;
                }
                queue.offer(new Request(request));
            }
        } catch (ProtocolException e) {
            queue.offer(new Failure(e));
        } catch (IOException e) {
            queue.offer(new End("i/o error: " + e.getMessage()));
        } catch (InterruptedException e) {
            queue.offer(new End("interrupted"));
        } catch (RuntimeException e) {
            queue.offer(new End("i/o error: " + e));
        }
    }
}
