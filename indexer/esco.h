/* esco.h - the ESCO CSV download, loaded into memory.
 *
 * Reads the files as the ESCO portal ships them, columns by header name:
 *   occupations_<lang>.csv, skills_<lang>.csv (optional: fr/nl downloads
 *   have none), ISCOGroups_<lang>.csv, skillGroups_<lang>.csv,
 *   skillsHierarchy_<lang>.csv, occupationSkillRelations[_<lang>].csv,
 *   skillSkillRelations[_<lang>].csv, broaderRelationsOccPillar[_<lang>].csv,
 *   broaderRelationsSkillPillar[_<lang>].csv.
 * Only occupations_<lang>.csv is required. v1.2 names end in _<lang> also
 * for relations; both spellings are accepted.
 *
 * Bad rows (empty URI, duplicate URI, relation to an unknown concept, ...)
 * are reported through the warn callback with file, line and field, and
 * skipped. Broken files (missing required column, invalid UTF-8, unterminated
 * quote, not CSV) fail the load with SS_ERR_INVALID and a message naming
 * file, line and field.
 *
 * Ownership: ss_esco_load() allocates everything; ss_esco_destroy() frees
 * it all (accepts NULL). All strings are NUL-terminated UTF-8, never NULL
 * ("" when the CSV cell was empty).
 */
#ifndef SS_ESCO_H
#define SS_ESCO_H

#include <stddef.h>

#include "../core/status.h"

typedef struct ss_esco_concept {
    char *uri;
    char *label;          /* preferredLabel */
    char **alt;           /* altLabels, split on newlines, trimmed, no "" */
    size_t nalt;
    char **hidden;        /* hiddenLabels, same */
    size_t nhidden;
    char *description;
    char *scope_note;
    char *definition;
    char *status;         /* "released", ... */
    /* occupations */
    char *code;           /* ESCO code, e.g. "2654.1.7" */
    char *isco;           /* ISCO unit group, 4 digits, e.g. "2654" */
    /* skills */
    char *skill_type;     /* "skill/competence", "knowledge", or "" */
    char *reuse_level;    /* "transversal", "cross-sector",
                             "sector-specific", "occupation-specific", "" */
} ss_esco_concept;

/* occupation -> skill (indices into occ[] and skill[]) */
typedef struct ss_esco_rel {
    unsigned occ;
    unsigned skill;
    unsigned essential; /* 1 essential, 0 optional */
} ss_esco_rel;

/* skill -> related skill */
typedef struct ss_esco_skillrel {
    unsigned from, to;
    unsigned essential;
} ss_esco_skillrel;

/* ISCO groups (all levels: 1 to 4 digits) and skill groups */
typedef struct ss_esco_group {
    char *uri;
    char *code;        /* "3114" for ISCO; skill group code, may be "" */
    char *label;
    char *description;
    char *parent_uri;  /* from broaderRelations*; "" for roots */
} ss_esco_group;

/* concept -> broader concept, from broaderRelations*Pillar */
typedef struct ss_esco_broader {
    char *uri;
    char *broader_uri;
} ss_esco_broader;

typedef struct ss_esco {
    char *lang;
    ss_esco_concept *occ;
    size_t nocc;
    ss_esco_concept *skill;
    size_t nskill;
    ss_esco_rel *rel;
    size_t nrel;
    ss_esco_skillrel *skillrel;
    size_t nskillrel;
    ss_esco_group *isco;        /* ISCOGroups, sorted by code */
    size_t nisco;
    ss_esco_group *skillgroup;  /* skillGroups */
    size_t nskillgroup;
    ss_esco_broader *broader;   /* skill pillar broader relations */
    size_t nbroader;
    size_t nwarnings;           /* rows skipped or repaired */
} ss_esco;

typedef void (*ss_esco_warn_fn)(void *ctx, const char *file,
                                unsigned long line, const char *field,
                                const char *msg);
/* done/total are bytes over all files to read; called now and then. */
typedef void (*ss_esco_progress_fn)(void *ctx, unsigned long long done,
                                    unsigned long long total);

typedef struct ss_esco_load_opts {
    ss_esco_warn_fn warn;         /* NULL: warnings go to stderr */
    ss_esco_progress_fn progress; /* NULL: none */
    void *ctx;
} ss_esco_load_opts;

/* dir: the unzipped download; lang: "en", "fr", "nl", ...
 * opts may be NULL. */
ss_status ss_esco_load(const char *dir, const char *lang,
                       const ss_esco_load_opts *opts, ss_esco **out,
                       char **errmsg);
void ss_esco_destroy(ss_esco *e);

/* Index of the concept with this URI, or -1 (binary search: arrays are kept
 * sorted by URI). */
long ss_esco_find_occ(const ss_esco *e, const char *uri);
long ss_esco_find_skill(const ss_esco *e, const char *uri);

#endif
