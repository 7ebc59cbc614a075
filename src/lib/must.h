/* MUST_CHECK marks a core function whose failure the caller must see: a status, an index
 * that is -1, or a pointer that is NULL when it fails (out of memory, above all).  With
 * -Werror (WARN in the Makefile) an ignored result does not build.  GCC does not let a
 * (void) cast silence it: a caller that cannot go on wraps the call in tool_must() (exit
 * 71, salesdesk(7)); one that can, tests the result. */
#ifndef SALESDESK_MUST_H
#define SALESDESK_MUST_H
#define MUST_CHECK __attribute__((warn_unused_result))
#endif
