/* test_cli.c - strict number parsing and the flag table. */
#include <string.h>

#include "cli.h"
#include "harness.h"

TEST(cli_numbers_are_strict)
{
    int64_t i;
    double r;
    CHECK(cli_parse_int("42", &i) == 0 && i == 42);
    CHECK(cli_parse_int("-7", &i) == 0 && i == -7);
    CHECK(cli_parse_int("", &i) == -1);
    CHECK(cli_parse_int("4x", &i) == -1);
    CHECK(cli_parse_int("1e3", &i) == -1);
    CHECK(cli_parse_int("99999999999999999999", &i) == -1);
    CHECK(cli_parse_real("1e-4", &r) == 0 && r == 1e-4);
    CHECK(cli_parse_real("nan", &r) == -1);
    CHECK(cli_parse_real("inf", &r) == -1);
    CHECK(cli_parse_real("1e999", &r) == -1);
    CHECK(cli_parse_real("0.5.", &r) == -1);
    /* only plain decimal: no blanks, signs other than '-', hex or words */
    CHECK(cli_parse_int(" +1", &i) == -1);
    CHECK(cli_parse_int("+1", &i) == -1);
    CHECK(cli_parse_int(" 1", &i) == -1);
    CHECK(cli_parse_int("1 ", &i) == -1);
    CHECK(cli_parse_int("0x10", &i) == -1);
    CHECK(cli_parse_int("-", &i) == -1);
    CHECK(cli_parse_real(" 0.5", &r) == -1);
    CHECK(cli_parse_real("+0.5", &r) == -1);
    CHECK(cli_parse_real("0x1p3", &r) == -1);
    CHECK(cli_parse_real(".", &r) == -1);
    CHECK(cli_parse_real("1e", &r) == -1);
    CHECK(cli_parse_real(".5", &r) == 0 && r == 0.5);
    CHECK(cli_parse_real("5.", &r) == 0 && r == 5.0);
    CHECK(cli_parse_real("-2.5E+2", &r) == 0 && r == -250.0);
}

TEST(cli_parse_table)
{
    int64_t size = 100;
    double alpha = 0.025;
    const char *out = NULL;
    int quiet = 0;
    const cli_opt opts[] = {
        {"-size", CLI_INT, &size, 1, 1000, "dim"},
        {"-alpha", CLI_REAL, &alpha, 0, 1, "rate"},
        {"-output", CLI_STRING, &out, 0, 0, "file"},
        {"-quiet", CLI_FLAG, &quiet, 0, 0, "hush"},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    char *pos[4];
    int npos = -1;
    w2v_err err;
    char *ok[] = {"-size", "50", "word", "-quiet", "-output", "-", "-alpha",
                  "0.5", "--", "-x"};
    REQUIRE(cli_parse(opts, 10, ok, pos, 4, &npos, NULL, &err) == 0);
    CHECK(size == 50 && alpha == 0.5 && quiet == 1);
    CHECK(out != NULL && strcmp(out, "-") == 0);
    CHECK(npos == 2 && strcmp(pos[0], "word") == 0 && strcmp(pos[1], "-x") == 0);

    char *range[] = {"-size", "0"};
    CHECK(cli_parse(opts, 2, range, pos, 4, &npos, NULL, &err) == -1);
    CHECK_MSG(strstr(err.msg, "-size") && strstr(err.msg, "out of range"), "%s",
              err.msg);
    char *missing[] = {"-alpha"};
    CHECK(cli_parse(opts, 1, missing, pos, 4, &npos, NULL, &err) == -1);
    CHECK(strstr(err.msg, "needs a value") != NULL);
    char *unknown[] = {"-frob", "1"};
    CHECK(cli_parse(opts, 2, unknown, pos, 4, &npos, NULL, &err) == -1);
    CHECK(strstr(err.msg, "unknown option '-frob'") != NULL);
    char *extra[] = {"a", "b"};
    CHECK(cli_parse(opts, 2, extra, pos, 1, &npos, NULL, &err) == -1);
    char *help[] = {"-size", "bad", "--help"};
    CHECK(cli_parse(opts, 3, help, pos, 4, &npos, NULL, &err) == 1);
}
