/* catalog.h - the SQLite catalogue written beside the Xapian index.
 *
 * It holds what a result page displays. Tables (ids are 1-based, stable
 * within one build; `key` is the last segment of the URI and stable across
 * builds, used in /occupations/{key} and /skills/{key}):
 *
 *   meta(key TEXT PRIMARY KEY, value TEXT)
 *   occupation(id INTEGER PRIMARY KEY, key TEXT UNIQUE, uri TEXT UNIQUE,
 *              code TEXT, isco TEXT, label TEXT, alt_labels TEXT,
 *              hidden_labels TEXT, description TEXT, scope_note TEXT,
 *              definition TEXT, status TEXT)
 *   skill(id INTEGER PRIMARY KEY, key TEXT UNIQUE, uri TEXT UNIQUE,
 *         label TEXT, alt_labels TEXT, hidden_labels TEXT, description TEXT,
 *         scope_note TEXT, definition TEXT, status TEXT, skill_type TEXT,
 *         reuse_level TEXT, occ_count INTEGER)
 *   occupation_skill(occupation_id INTEGER, skill_id INTEGER,
 *                    essential INTEGER, PRIMARY KEY(occupation_id, skill_id))
 *     + index on skill_id
 *   skill_relation(skill_id INTEGER, related_id INTEGER, essential INTEGER)
 *   isco_group(code TEXT PRIMARY KEY, uri TEXT, label TEXT,
 *              description TEXT, parent_code TEXT)
 *   skill_group(uri TEXT PRIMARY KEY, code TEXT, label TEXT,
 *               description TEXT, parent_uri TEXT)
 *   skill_broader(uri TEXT, broader_uri TEXT)
 *
 * alt_labels and hidden_labels are newline-separated.
 */
#ifndef SS_CATALOG_H
#define SS_CATALOG_H

#include "../core/status.h"
#include "esco.h"

/* Writes a new catalogue at path (which must not exist yet). */
ss_status ss_catalog_write(const char *path, const ss_esco *e,
                           char **errmsg);

#endif
