/* lang.c - the language table. See lang.h. */
#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Elided articles/pronouns before an apostrophe. */
static const char *const elide_fr[] = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
    "puisqu", "quoiqu", "presqu", "quelqu", NULL};
static const char *const elide_it[] = {
    "l", "d", "c", "un", "dell", "all", "dall", "nell", "sull", "coll",
    "quest", "quell", NULL};
static const char *const elide_ca[] = {"l", "d", "s", "m", "n", "t", NULL};
/* Contractions: don't, I'd, I'm, we'll, they're, I've. */
static const char *const clitics_en[] = {"t", "d", "m", "ll", "re", "ve",
                                         NULL};

/* Accents are folded where users routinely skip them and the Snowball
 * stemmer copes without them (German's own stemmer drops umlauts).
 * Elsewhere (Nordic, Baltic, Hungarian, Romanian, Turkish...) a mark makes
 * a different letter, so accents are kept.
 * Every language Xapian 1.4 has a stemmer for; sorted by code. */
static const ss_lang langs[] = {
    /* code stemmer  fold elide     clitics     stop      titles    synonyms */
    {"ar", "arabic",     0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"ca", "catalan",    1, elide_ca, NULL,       NULL,     NULL,     NULL},
    {"da", "danish",     0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"de", "german",     1, NULL,     NULL,       NULL,     NULL,     NULL},
    {"en", "english",    1, NULL,     clitics_en, "en.txt", "en.tsv", "en.tsv"},
    {"es", "spanish",    1, NULL,     NULL,       NULL,     NULL,     NULL},
    {"eu", "basque",     0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"fi", "finnish",    0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"fr", "french",     1, elide_fr, NULL,       "fr.txt", "fr.tsv", NULL},
    {"ga", "irish",      0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"hu", "hungarian",  0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"hy", "armenian",   0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"id", "indonesian", 0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"it", "italian",    1, elide_it, NULL,       NULL,     NULL,     NULL},
    {"lt", "lithuanian", 0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"nb", "norwegian",  0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"ne", "nepali",     0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"nl", "dutch",      1, NULL,     NULL,       "nl.txt", "nl.tsv", NULL},
    {"nn", "norwegian",  0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"no", "norwegian",  0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"pt", "portuguese", 1, NULL,     NULL,       NULL,     NULL,     NULL},
    {"ro", "romanian",   0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"ru", "russian",    0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"sv", "swedish",    0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"ta", "tamil",      0, NULL,     NULL,       NULL,     NULL,     NULL},
    {"tr", "turkish",    0, NULL,     NULL,       NULL,     NULL,     NULL},
};

#define NLANGS (sizeof langs / sizeof langs[0])

static int cmp_code(const void *key, const void *row)
{
    return strcmp(key, ((const ss_lang *)row)->code);
}

const ss_lang *ss_lang_find(const char *code)
{
    return code ? bsearch(code, langs, NLANGS, sizeof *langs, cmp_code)
                : NULL;
}

ss_status ss_lang_get(const char *code, const ss_lang **out, char **errmsg)
{
    if ((*out = ss_lang_find(code)))
        return SS_OK;
    char codes[NLANGS * 8] = "";
    for (size_t i = 0, used = 0; i < NLANGS && used < sizeof codes; i++)
        used += (size_t)snprintf(codes + used, sizeof codes - used, "%s%s",
                                 i ? ", " : "", langs[i].code);
    /* %.40s: the code may be any command-line argument */
    return ss_set_error(errmsg, SS_ERR_INVALID,
                        "unknown language '%.40s' (supported: %s)",
                        code ? code : "", codes);
}

const ss_lang *ss_lang_all(size_t *n)
{
    *n = NLANGS;
    return langs;
}
