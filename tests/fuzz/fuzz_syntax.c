/* fuzz_syntax.c - search --syntax (query/syntax.c: Xapian's QueryParser
 * through our wrapper) on the sample index: fuzz_query.c's target in
 * syntax mode, where any text may be rejected, but only with
 * SS_ERR_BAD_QUERY and a message (fz_search in common.c). */
#define FZ_SYNTAX 1
#include "fuzz_query.c"
