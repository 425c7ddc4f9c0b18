/* test_progress.c - the training line fits any width; SI numbers. */
#include <string.h>

#include "harness.h"
#include "progress.h"

TEST(progress_si_numbers)
{
    char b[32];
    progress_si(b, sizeof b, 0);
    CHECK(strcmp(b, "0") == 0);
    progress_si(b, sizeof b, 999);
    CHECK(strcmp(b, "999") == 0);
    progress_si(b, sizeof b, 999.6);
    CHECK_MSG(strcmp(b, "1.00k") == 0, "%s", b);
    progress_si(b, sizeof b, 915234);
    CHECK_MSG(strcmp(b, "915k") == 0, "%s", b);
    progress_si(b, sizeof b, 1830000);
    CHECK_MSG(strcmp(b, "1.83M") == 0, "%s", b);
    progress_si(b, sizeof b, 45.67e6);
    CHECK_MSG(strcmp(b, "45.7M") == 0, "%s", b);
    progress_si(b, sizeof b, 2.5e9);
    CHECK_MSG(strcmp(b, "2.50G") == 0, "%s", b);
}

TEST(progress_line_fits_every_width)
{
    train_stats s;
    memset(&s, 0, sizeof s);
    s.threads = 16;
    s.words_total = 5000000000;
    s.words_done = 1234567890;
    s.epoch = 2;
    s.alpha = 0.0162345;
    s.loss = 2.345678;
    s.elapsed = 4000.5; /* over an hour: h:mm:ss */
    char line[512];
    size_t full = progress_format(line, sizeof line, &s, 5, 0);
    CHECK_MSG(strstr(line, "epoch 2/5") && strstr(line, "24.7%") &&
                  strstr(line, "words/s") && strstr(line, "/thread") &&
                  strstr(line, "elapsed 1:06:40") && strstr(line, "eta "),
              "%s", line);
    for (int width = 1; width <= 200; width++) {
        size_t n = progress_format(line, sizeof line, &s, 5, width);
        CHECK_MSG(n == strlen(line) && n <= (size_t)width - 1,
                  "width %d: %zu bytes: '%s'", width, n, line);
        if ((size_t)width > full)
            CHECK_MSG(n == full, "width %d shortened a line of %zu", width,
                      full);
        if (width >= 12)
            CHECK_MSG(strstr(line, "24.7%") != NULL, "width %d: '%s'", width,
                      line);
    }
    /* the 80 columns of a default terminal keep the epoch and the speed */
    progress_format(line, sizeof line, &s, 5, 80);
    CHECK_MSG(strstr(line, "epoch 2/5") && strstr(line, "words/s"), "'%s'",
              line);
}

TEST(progress_elapsed_agrees_with_the_summary)
{
    /* the summary prints "%.2f s": 119.996 s shows as 120.00 s there */
    train_stats s;
    memset(&s, 0, sizeof s);
    s.threads = 1;
    s.words_total = s.words_done = 1000;
    s.epoch = 1;
    char line[512], summary[32];
    const double times[] = {119.996, 59.994, 1.5, 3599.999};
    const char *const want[] = {"elapsed 2:00", "elapsed 0:59", "elapsed 0:01",
                                "elapsed 1:00:00"};
    for (int i = 0; i < 4; i++) {
        s.elapsed = times[i];
        progress_format(line, sizeof line, &s, 1, 0);
        snprintf(summary, sizeof summary, "%.2f", times[i]);
        CHECK_MSG(strstr(line, want[i]) != NULL, "%s s (summary %s): '%s'",
                  summary, summary, line);
    }
}
