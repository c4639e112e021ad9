/* cld2_wrap.cc - CLD2 behind the C API of cld2_wrap.h. */
#include "cld2_wrap.h"

#include <climits>
#include <cstdio> /* compact_lang_det.h uses FILE without including it */
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

struct ss_cld2 {
    char *hints; /* NULL: none */
};

extern "C" ss_status ss_cld2_create(const char *hints, ss_cld2 **out,
                                    char **errmsg)
{
    *out = NULL;
    ss_cld2 *c = static_cast<ss_cld2 *>(calloc(1, sizeof *c));
    if (!c || (hints && *hints && !(c->hints = strdup(hints)))) {
        free(c);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    }
    *out = c;
    return SS_OK;
}

extern "C" void ss_cld2_destroy(ss_cld2 *c)
{
    if (!c)
        return;
    free(c->hints);
    free(c);
}

extern "C" ss_status ss_cld2_detect(const ss_cld2 *c, const char *text,
                                    size_t len, char code[8], int *reliable,
                                    int *percent, char **errmsg)
{
    snprintf(code, 8, "un");
    *reliable = 0;
    *percent = 0;
    if (len > INT_MAX)
        return ss_set_error(errmsg, SS_ERR_INVALID, "text too long");
    try {
        /* the hints favour the languages a server has, which matters on
         * one or two words ("nurse" alone is as Dutch as English) */
        CLD2::CLDHints hints = {c->hints, NULL, CLD2::UNKNOWN_ENCODING,
                                CLD2::UNKNOWN_LANGUAGE};
        CLD2::Language lang3[3];
        int pct3[3], text_bytes = 0, valid = 0;
        double score3[3];
        bool rel = false;
        CLD2::Language l = CLD2::ExtDetectLanguageSummaryCheckUTF8(
            text, static_cast<int>(len), true, &hints,
            CLD2::kCLDFlagBestEffort, lang3, pct3, score3, NULL, &text_bytes,
            &rel, &valid);
        if (valid < static_cast<int>(len))
            return ss_set_error(errmsg, SS_ERR_INVALID,
                                "text is not valid UTF-8");
        snprintf(code, 8, "%s", CLD2::LanguageCode(l));
        *reliable = rel;
        *percent = pct3[0];
        return SS_OK;
    } catch (const std::bad_alloc &) {
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return ss_set_error(errmsg, SS_ERR_INTERNAL, "cld2: %s", e.what());
    } catch (...) {
        return ss_set_error(errmsg, SS_ERR_INTERNAL, "cld2: unknown error");
    }
}
