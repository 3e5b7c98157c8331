/* yaml_tree.h: the first document of a YAML text, read with libyaml's
 * event parser into a tree in an arena.
 *
 * libyaml's own document loader gives the same tree, but copies a default
 * tag for every node into memory of its own and frees the document piece
 * by piece: a seventh of the time a post mortem's front matter takes to
 * read. Here each scalar is copied once, into the arena, and the loader's
 * checks are kept: an anchor defined twice and an alias to no anchor are
 * errors. An alias is the node its anchor names (shared, not copied: an
 * alias inside its own anchor's collection makes a cycle, so readers must
 * not walk the tree without a limit). */
#ifndef DBF_YAML_TREE_H
#define DBF_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct dbf__arena;

enum dbf__yaml_kind { DBF__YAML_SCALAR, DBF__YAML_SEQUENCE, DBF__YAML_MAPPING };

struct dbf__yaml_node {
    enum dbf__yaml_kind kind;
    size_t line, column; /* where it starts, from 0, as libyaml's marks count */
    const char *text;    /* a scalar's text, NUL-terminated; NULL for a collection */
    size_t len;
    bool plain;                    /* a scalar written without quotes or block style */
    struct dbf__yaml_node **items; /* a sequence's items; a mapping's keys and values in turn */
    size_t count;                  /* of ITEMS: twice a mapping's pairs */
};

/* What went wrong, where (from 0, as libyaml's marks count). */
struct dbf__yaml_error {
    size_t line, column;
    const char *problem; /* static text */
};

/* Reads the first document of TEXT[0..LEN) into ARENA: true with *ROOT set
 * (NULL when the text holds no document), false with ERR filled when the
 * text is not valid YAML. Later documents are not read. */
bool dbf__yaml_read(struct dbf__arena *arena, const char *text, size_t len,
                    struct dbf__yaml_node **root, struct dbf__yaml_error *err);

/* The value of KEY (compared without case) in MAP, the first such pair;
 * NULL when MAP is not a mapping or has no such key. */
struct dbf__yaml_node *dbf__yaml_get(const struct dbf__yaml_node *map, const char *key);

#endif
