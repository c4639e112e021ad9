/* schema.h - the index layout shared by indexer/ and query/.
 *
 * An index is a directory reached through a symlink:
 *   INDEX -> INDEX.gen-<N>/      (swapped atomically by rename(2))
 *     xapian/                    the Xapian database: concept documents
 *                                (read by query/syntax.c), spelling
 *                                dictionary and synonyms (query/rank.c),
 *                                metadata
 *     labels.mix, concepts.mix   the same terms as flat arrays for the
 *                                ranking hot path (memindex.h)
 *     catalog.sqlite             what result pages display (see catalog.h)
 * Readers notice a new generation by readlink(INDEX) changing.
 */
#ifndef SS_SCHEMA_H
#define SS_SCHEMA_H

#define SS_SCHEMA_VERSION "2"

#define SS_FILE_LABELS   "labels.mix"
#define SS_FILE_CONCEPTS "concepts.mix"
#define SS_FILE_WORDVEC  "wordvec.ssvec" /* optional: synonyms/wordvec.h */
/* optional learned rankers (query/rerank.h), per kind */
#define SS_FILE_MODEL_OCC   "rank-occupation.model"
#define SS_FILE_MODEL_SKILL "rank-skill.model"
/* optional title classifier (query/meaning.h), occupations */
#define SS_FILE_MEANING_OCC "meaning-occupation.ftz"

/* Ranked term prefixes (terms are stemmed, lower-case). */
#define SS_PFX_TEXT    "T"  /* concepts.mix: every field, see below */
#define SS_PFX_WORD    "W"  /* labels.mix: the label's words */
#define SS_PFX_BIGRAM  "B"  /* concepts.mix: adjacent word pairs,
                               "B<stem> <stem>", a cheap phrase signal */
#define SS_PFX_LABEL   "L"  /* Xapian: words of preferred/alt/hidden labels */
#define SS_PFX_SKILLS  "S"  /* Xapian, occupations: words of the labels of
                               their essential and optional skills */
#define SS_PFX_DESC    "D"  /* Xapian: words of description, scope note and
                               definition */

/* Xapian concept documents (read by query/syntax.c only) hold each word
 * once, under the prefix of its field (L, S or D, with the T weights
 * below as wdf); L and S terms carry positions (phrases, NEAR), each label
 * starting SS_POS_GAP after the last word of the one before, so that no
 * phrase spans two labels. Document k+1 is concept ordinal k (occupations
 * in catalogue order, then skills; see concepts.h): the indexer adds them
 * in that order. No document data or values are stored. */
#define SS_POS_GAP 100

/* Concept documents weigh fields BM25F-style: a field's words enter the
 * one T field with this within-document frequency each, so one posting
 * list per query word serves all fields and saturation is shared. */
#define SS_WDF_LABEL   6  /* preferred label */
#define SS_WDF_ALT     3  /* alternative labels */
#define SS_WDF_HIDDEN  2  /* hidden labels: misspellings, old names */
#define SS_WDF_DESC    1  /* description, scope note, definition */
#define SS_WDF_ESS     2  /* occupations: labels of essential skills */
#define SS_WDF_OPT     1  /* occupations: labels of optional skills */

/* Boolean (filter) prefixes. */
#define SS_PFX_TYPE    "XT" /* XTocc, XTskill */
#define SS_PFX_ISCO    "XI" /* every ancestor: XI3 XI31 XI311 XI3114 */
#define SS_PFX_SKTYPE  "XK" /* XKknowledge, XKskill/competence */
#define SS_PFX_REUSE   "XR" /* XRtransversal, XRcross-sector, ... */
#define SS_PFX_LABELKEY "XE" /* labels.mix: the whole label, see ss_terms_key */

#define SS_TYPE_OCC      "occ"
#define SS_TYPE_SKILL    "skill"

/* Metadata keys. */
#define SS_META_SCHEMA "skillsearch.schema"
#define SS_META_LANG   "skillsearch.lang"
#define SS_META_BUILT  "skillsearch.built"   /* ISO 8601 time */
#define SS_META_SOURCE "skillsearch.source"  /* ESCO folder */

#endif
