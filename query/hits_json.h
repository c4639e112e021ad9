/* hits_json.h - search results as JSON (jansson), shared by CLI and server.
 *
 * Ownership: returned json_t values carry one new reference; release with
 * json_decref(). NULL only when out of memory.
 */
#ifndef SS_HITS_JSON_H
#define SS_HITS_JSON_H

#include <jansson.h>

#include "search.h"

/* {"uri","id","label","type","isco","score","matched":[...],"reasons":[...]} */
json_t *ss_hit_to_json(const ss_hit *h);
/* [hit, ...] */
json_t *ss_hits_to_json(const ss_hits *h);
/* The last path segment of a URI (borrowed pointer into uri). */
const char *ss_uri_id(const char *uri);

#endif
