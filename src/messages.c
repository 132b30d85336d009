/* Messages for the user (see messages.h). */
#include "adthresh/messages.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/format.h"
#include "adthresh/grow.h"

void adt_messages_init(struct adt_messages *m)
{
	memset(m, 0, sizeof(*m));
}

void adt_messages_release(struct adt_messages *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].text);
	free(m->v);
	adt_messages_init(m);
}

/* Takes text over (frees it on failure). */
static int push(struct adt_messages *m, enum adt_msg_kind kind, char *text)
{
	void *p = m->v;

	if (!text || adt_grow(&p, &m->cap, m->n + 1, sizeof(*m->v))) {
		free(text);
		m->lost++;
		return -1;
	}
	m->v = p;
	m->v[m->n++] = (struct adt_message){kind, text};
	return 0;
}

int adt_messages_add(struct adt_messages *m, enum adt_msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len >= 0 && (text = malloc((size_t)len + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(text, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	return push(m, kind, text);
}

int adt_messages_copy(struct adt_messages *to, const struct adt_messages *from,
		      enum adt_msg_kind kind, const char *prefix)
{
	int ret = 0;

	for (size_t i = 0; i < from->n; i++) {
		if (from->v[i].kind == kind &&
		    adt_messages_add(to, kind, "%s%s", prefix, from->v[i].text))
			ret = -1;
	}
	to->lost += from->lost;
	return ret;
}

void adt_messages_print(const struct adt_messages *m, FILE *msgs, FILE *errs, const char *prefix,
			int quiet, int verbose)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct adt_message *k = &m->v[i];
		FILE *f = k->kind == ADT_MSG_ERROR ? errs : msgs;

		if ((k->kind == ADT_MSG_WARNING && quiet) || (k->kind == ADT_MSG_NOTE && !verbose))
			continue;
		fprintf(f, "%s%s", prefix, k->kind == ADT_MSG_WARNING ? "warning: " : "");
		adt_format_line(f, k->text);
		fputc('\n', f);
	}
	if (m->lost)
		fprintf(msgs, "%s%zu more messages lost (out of memory)\n", prefix, m->lost);
}
