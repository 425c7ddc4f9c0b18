/* corpus.h - the training text: an open, seekable file read by byte range.
 *
 * Tokens are maximal runs of bytes other than the separators space, \t, \r,
 * \n, \v, \f and NUL.  A newline ends a sentence.  Words longer than
 * W2V_MAX_WORD bytes are cut at a UTF-8 character boundary (and counted).
 * A token belongs to the byte range that holds its first byte, so readers
 * over adjacent ranges see every token exactly once. */
#ifndef W2V_CORPUS_H
#define W2V_CORPUS_H

#include <stdint.h>

#include "w2v.h"

typedef struct corpus {
    int fd;
    int64_t size;  /* bytes */
    char *name;    /* as given by the user ("-" for standard input) */
    int spooled;   /* 1 when the input was copied to an unlinked temp file */
    int64_t begin, end; /* the part this process reads: [begin, end), all
                           of it unless corpus_set_window() says less */
} corpus;

/* Compressed formats, told by their magic bytes. */
typedef enum corpus_compression {
    CORPUS_PLAIN = 0, /* anything else: read as text */
    CORPUS_GZIP,
    CORPUS_BZIP2,
    CORPUS_XZ,
    CORPUS_ZSTD,
} corpus_compression;

/* Bytes corpus_sniff needs to tell every format apart. */
#define CORPUS_SNIFF_BYTES 10

/* The format whose magic bytes begin head[0..n); CORPUS_PLAIN when none
 * does (or n is too short to tell). */
corpus_compression corpus_sniff(const unsigned char *head, size_t n);

/* "gzip", "bzip2", "xz", "zstd", or "plain". */
const char *corpus_compression_name(corpus_compression k);

/* The compression of the regular file at path, from its first bytes, into
 * *k; fails when it cannot be opened or read.  Anything else ("-" for
 * standard input, a FIFO, a path that does not exist) is not opened:
 * CORPUS_PLAIN, and corpus_open_fd looks at the bytes it spools. */
int corpus_file_compression(const char *path, corpus_compression *k,
                            w2v_err *err);

/* Progress while non-seekable input is copied to the spool file:
 * `progress` (may be NULL) is called from the calling thread at most every
 * `interval` seconds with the bytes copied so far and the seconds since
 * the copy began. */
typedef struct corpus_spool_monitor {
    void (*progress)(int64_t bytes, double seconds, void *ctx);
    void *ctx;
    double interval;
} corpus_spool_monitor;

/* Opens the data readable from fd (which stays the caller's: it is
 * neither closed nor kept; "name" is used in messages, "-" reads as
 * "standard input").  A regular file is read in place; anything else (a
 * pipe, a FIFO, a character device) is first copied to an
 * already-unlinked temporary file in spool_dir (NULL or "": /tmp; the
 * program passes $TMPDIR), so nothing is left behind whatever happens;
 * mon (may be NULL) watches that copy.  Fails on a directory, a read
 * error, a spool folder that is full or not writable, and on compressed
 * data (corpus_sniff), which is never read as text. */
int corpus_open_fd(corpus *c, int fd, const char *name, const char *spool_dir,
                   const corpus_spool_monitor *mon, w2v_err *err);

/* corpus_open_fd on the file at path, or on standard input for "-", with
 * no monitor.  Fails on a missing or unreadable file. */
int corpus_open(corpus *c, const char *path, const char *spool_dir,
                w2v_err *err);

void corpus_close(corpus *c);

/* Restricts the corpus to part `part` of `parts` equal byte ranges (a
 * token belongs to the part holding its first byte): one process of a job
 * that trains on the whole corpus in `parts` processes. */
void corpus_set_window(corpus *c, int part, int parts);

/* Start of range i of n of the window: range i is
 * [corpus_range_start(c, i, n), corpus_range_start(c, i + 1, n)). */
int64_t corpus_range_start(const corpus *c, int i, int n);

enum { READ_END = 0, READ_WORD = 1, READ_SENTENCE_END = 2, READ_ERROR = -1 };

typedef struct token_reader {
    const corpus *c;
    int64_t begin, end;   /* the byte range */
    unsigned char *buf;
    int64_t buf_cap;      /* bytes allocated */
    int64_t buf_off;      /* file offset of buf[0] */
    int64_t buf_len;      /* valid bytes in buf */
    int64_t buf_pos;      /* next byte to look at */
    int64_t truncated;    /* words cut to W2V_MAX_WORD so far */
    int eof;
    int at_begin;         /* the partial token at `begin` is not skipped yet */
} token_reader;

/* Prepares a reader over [begin, end) with a buffer of buf_size bytes. */
int reader_init(token_reader *r, const corpus *c, int64_t begin, int64_t end,
                int64_t buf_size, w2v_err *err);

/* Rewinds to the start of the range (for the next epoch). */
void reader_rewind(token_reader *r);

/* Where the reader stands: the file offset of the next byte it will look
 * at, and whether the token straddling that offset is still to be skipped
 * (at the start of a range).  reader_seek(r, reader_tell(r, &s), s) on a
 * fresh reader over the same range continues exactly where r was. */
int64_t reader_tell(const token_reader *r, int *skip_partial);

/* Continues at `offset`; with skip_partial, the tail of a token that began
 * before offset is skipped first (it belongs to whoever read up to it). */
void reader_seek(token_reader *r, int64_t offset, int skip_partial);

/* Reads the next item: READ_WORD with the word in word[0..*len) (word must
 * hold W2V_MAX_WORD + 1 bytes; it is NUL-terminated), READ_SENTENCE_END at a
 * newline, READ_END at the end of the range, READ_ERROR on an I/O error
 * (message in err). */
int reader_next(token_reader *r, char *word, int *len, w2v_err *err);

/* Readable bytes past the data in a reader's buffer, and past the bytes a
 * scratch buffer of reader_next_words must hold. */
enum { READER_PAD = 64 };

/* Reads the next words, up to max of them, for a pass that needs no
 * sentence ends: words[i] points at the lens[i] bytes of the i-th (not
 * NUL-terminated; READER_PAD more bytes after them may be read, whatever
 * they hold).  Returns how many, 0 at the end of the range (fewer than max
 * is no sign of the end), -1 on an I/O error (message in err).  Newlines
 * are passed over like the other separators; the words, their cuts and
 * r->truncated are reader_next's.  The words lie in r's buffer, or, for
 * the last of them when it straddles two buffer-fulls, in scratch
 * (W2V_MAX_WORD + 1 + READER_PAD bytes); they stay valid until the next
 * call. */
int reader_next_words(token_reader *r, char *scratch, const char **words,
                      int *lens, int max, w2v_err *err);

void reader_free(token_reader *r);

#endif
