package io.vane.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DropNoticeTest {
    @Test
    void logsAtMostOnceAMinute() {
        AtomicLong now = new AtomicLong(5);
        DropNotice notice = new DropNotice(now::get);
        assertThat(notice.unwritable("c1")).isTrue();
        assertThat(notice.unwritable("c1")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(notice.unwritable("c1")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(notice.unwritable("c1")).isTrue();
    }
}
