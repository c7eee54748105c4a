/*
 * frontend/stdnames.c — names of the standard library that the subset leaves out, so
 * that valid Rust outside the subset gets `error: unsupported: ...` rather than
 * rustc's "not found" errors, which are for programs rustc rejects too.
 *
 * The lists are of real std names (Rust 1.95): types and values of the prelude and
 * common imports, the modules of std and core, and the inherent and common trait
 * methods of the primitive types. A name missing here only gets rustc's error code.
 */
#include "frontend/stages.h"

#include <string.h>

static bool listed(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

const char *std_type_name(const char *name)
{
    static const char *const names[] = {
        "Vec", "String", "Box", "Option", "Result", "Some", "None", "Ok", "Err", "HashMap", "HashSet",
        "BTreeMap", "BTreeSet", "VecDeque", "BinaryHeap", "Rc", "Arc", "RefCell", "Cell", "Mutex", "RwLock",
        "Cow", "ToString", "ToOwned", "Default", "Iterator", "IntoIterator", "From", "Into", "TryFrom", "TryInto",
        "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Drop", "Fn", "FnMut", "FnOnce", "Send", "Sync",
        "Sized", "AsRef", "AsMut", "Ordering", "Duration", "Instant", "f32", "f64"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(name, names[i]) == 0)
            return names[i];
    return NULL;
}

bool std_module_name(const char *name)
{
    static const char *const names[] = {
        "alloc", "any", "arch", "array", "ascii", "backtrace", "borrow", "boxed", "cell", "char", "clone", "cmp",
        "collections", "convert", "default", "env", "error", "f32", "f64", "ffi", "fmt", "fs", "future", "hash",
        "hint", "i8", "i16", "i32", "i64", "i128", "isize", "io", "iter", "marker", "mem", "net", "num", "ops",
        "option", "os", "panic", "path", "pin", "prelude", "primitive", "process", "ptr", "rc", "result", "slice",
        "str", "string", "sync", "task", "thread", "time", "u8", "u16", "u32", "u64", "u128", "usize", "vec"};
    return listed(names, ARRAY_LEN(names), name);
}

/* Methods every type may have through common traits (when it implements them). */
static const char *const common_methods[] = {
    "to_string", "to_owned", "into", "try_into", "eq", "ne", "cmp", "partial_cmp", "lt", "le", "gt", "ge",
    "max", "min", "clamp", "fmt", "hash", "borrow", "borrow_mut", "as_ref", "as_mut", "clone_from", "default"};

static const char *const int_methods[] = {
    "abs", "abs_diff", "pow", "isqrt", "ilog", "ilog2", "ilog10", "signum", "is_positive", "is_negative",
    "rem_euclid", "div_euclid", "div_ceil", "next_multiple_of", "is_multiple_of", "midpoint", "unsigned_abs",
    "checked_add", "checked_sub", "checked_mul", "checked_div", "checked_rem", "checked_neg", "checked_shl",
    "checked_shr", "checked_pow", "checked_abs", "checked_ilog2", "checked_ilog10", "checked_div_euclid",
    "checked_rem_euclid", "checked_next_power_of_two", "wrapping_add", "wrapping_sub", "wrapping_mul",
    "wrapping_div", "wrapping_rem", "wrapping_neg", "wrapping_shl", "wrapping_shr", "wrapping_pow",
    "wrapping_abs", "saturating_add", "saturating_sub", "saturating_mul", "saturating_div", "saturating_pow",
    "saturating_neg", "saturating_abs", "overflowing_add", "overflowing_sub", "overflowing_mul",
    "overflowing_div", "overflowing_rem", "overflowing_neg", "overflowing_shl", "overflowing_shr",
    "overflowing_pow", "overflowing_abs", "count_ones", "count_zeros", "leading_zeros", "trailing_zeros",
    "leading_ones", "trailing_ones", "rotate_left", "rotate_right", "swap_bytes", "reverse_bits", "to_be",
    "to_le", "to_be_bytes", "to_le_bytes", "to_ne_bytes", "is_power_of_two", "next_power_of_two", "cast_signed",
    "cast_unsigned", "is_ascii_digit", "is_ascii_alphabetic", "is_ascii", "to_ascii_uppercase",
    "to_ascii_lowercase", "is_ascii_whitespace", "is_ascii_uppercase", "is_ascii_lowercase"};

static const char *const char_methods[] = {
    "is_alphabetic", "is_numeric", "is_alphanumeric", "is_whitespace", "is_uppercase", "is_lowercase",
    "is_control", "is_digit", "to_digit", "is_ascii", "is_ascii_digit", "is_ascii_alphabetic",
    "is_ascii_alphanumeric", "is_ascii_uppercase", "is_ascii_lowercase", "is_ascii_punctuation",
    "is_ascii_whitespace", "is_ascii_hexdigit", "is_ascii_graphic", "is_ascii_control", "to_ascii_uppercase",
    "to_ascii_lowercase", "to_uppercase", "to_lowercase", "len_utf8", "len_utf16", "encode_utf8",
    "eq_ignore_ascii_case", "escape_default", "escape_debug", "escape_unicode", "make_ascii_uppercase",
    "make_ascii_lowercase"};

static const char *const bool_methods[] = {"then", "then_some"};

static const char *const str_methods[] = {
    "chars", "bytes", "char_indices", "lines", "split", "rsplit", "splitn", "rsplitn", "split_whitespace",
    "split_terminator", "split_once", "rsplit_once", "split_at", "trim", "trim_start", "trim_end",
    "trim_matches", "trim_start_matches", "trim_end_matches", "strip_prefix", "strip_suffix", "starts_with",
    "ends_with", "contains", "find", "rfind", "matches", "match_indices", "replace", "replacen", "to_uppercase",
    "to_lowercase", "to_ascii_uppercase", "to_ascii_lowercase", "repeat", "parse", "as_bytes", "as_ptr",
    "is_empty", "get", "is_char_boundary", "eq_ignore_ascii_case", "is_ascii", "escape_debug",
    "escape_default", "into_string", "as_str"};

static const char *const slice_methods[] = {
    "iter", "iter_mut", "into_iter", "contains", "sort", "sort_unstable", "sort_by", "sort_by_key",
    "sort_unstable_by", "sort_unstable_by_key", "reverse", "first", "last", "first_mut", "last_mut", "get",
    "get_mut", "swap", "fill", "to_vec", "is_empty", "windows", "chunks", "chunks_exact", "rchunks", "concat",
    "join", "split_at", "split_at_mut", "split_first", "split_last", "starts_with", "ends_with",
    "binary_search", "copy_from_slice", "clone_from_slice", "rotate_left", "rotate_right", "as_slice",
    "as_mut_slice", "map", "each_ref", "each_mut", "as_ptr", "as_mut_ptr", "split", "position", "repeat",
    "into_vec", "dedup", "retain"};

bool std_method_of(int type_kind, const char *name)
{
    if (type_kind == FE_TYPE_STRUCT || type_kind == FE_TYPE_ERROR || type_kind == FE_TYPE_NEVER)
        return false;  /* a struct has what it derives (typeck's business) */
    if (listed(common_methods, ARRAY_LEN(common_methods), name))
        return true;
    switch (type_kind) {
    case FE_TYPE_INT: case FE_TYPE_INT_VAR: return listed(int_methods, ARRAY_LEN(int_methods), name);
    case FE_TYPE_CHAR: return listed(char_methods, ARRAY_LEN(char_methods), name);
    case FE_TYPE_BOOL: return listed(bool_methods, ARRAY_LEN(bool_methods), name);
    case FE_TYPE_STR: return listed(str_methods, ARRAY_LEN(str_methods), name);
    case FE_TYPE_ARRAY: case FE_TYPE_SLICE: return listed(slice_methods, ARRAY_LEN(slice_methods), name);
    default: return false;
    }
}
