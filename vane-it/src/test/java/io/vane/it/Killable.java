package io.vane.it;

/** A broker process a crash test may kill with SIGKILL: Vane, or Debian's mosquitto for comparison. */
interface Killable {
    boolean isAlive();

    /** SIGKILL to the recorded pid; returns once it is gone. */
    void kill() throws InterruptedException;

    /** Debian's mosquitto, killed by its own pid. */
    static Killable of(io.vane.testkit.MosquittoBroker m) {
        return new Killable() {
            @Override
            public boolean isAlive() {
                return ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false);
            }

            @Override
            public void kill() throws InterruptedException {
                m.kill();
            }
        };
    }
}
