/* Lines for the user that are not the result: warnings, notes and the
 * failures of a batch's categories, kept in the order they arose so that
 * the program can print them. */
#ifndef ADTHRESH_MESSAGES_H
#define ADTHRESH_MESSAGES_H

#include <stddef.h>
#include <stdio.h>

enum adt_msg_kind {
	ADT_MSG_WARNING = 0, /* printed unless quiet, after "warning: " */
	ADT_MSG_NOTE,	     /* printed when verbose */
	ADT_MSG_ERROR	     /* always printed (a failed category of a batch) */
};

struct adt_message {
	enum adt_msg_kind kind;
	char *text; /* whole, never cut; no "warning: " prefix, no line end */
};

/* A growable list; zeroed (adt_messages_init) is empty. */
struct adt_messages {
	struct adt_message *v;
	size_t n, cap;
	size_t lost; /* messages that could not be kept (out of memory) */
};

void adt_messages_init(struct adt_messages *m);

/* Frees the texts and the list; m is empty after. */
void adt_messages_release(struct adt_messages *m);

/* Appends a printf-formatted message of any length.  Returns 0, or -1
 * when memory runs out (the message is then counted in m->lost). */
int adt_messages_add(struct adt_messages *m, enum adt_msg_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends the messages of `from` of one kind, each after `prefix` (may be
 * empty), in their order; from->lost adds to to->lost.  Returns 0 or -1
 * as adt_messages_add. */
int adt_messages_copy(struct adt_messages *to, const struct adt_messages *from,
		      enum adt_msg_kind kind, const char *prefix);

/* Writes the messages of m a line each, after prefix: the warnings
 * ("warning: " first) unless quiet and the notes when verbose to msgs,
 * the failures to errs, and a line counting the messages lost.  Names
 * and texts as adt_format_line writes them. */
void adt_messages_print(const struct adt_messages *m, FILE *msgs, FILE *errs, const char *prefix,
			int quiet, int verbose);

#endif
