/* db_subcommand.c: picking and running a subcommand of a command on the team
 * server's database, with the checks every such command makes before the
 * database is opened: a database is only opened (or created) for a command
 * line that is right. */
#include "cli.h"
#include "store_cli.h"

#include <string.h>

static const struct cli_db_subcommand *find(const struct cli_db_command *command, const char *name)
{
    for (size_t i = 0; i < command->subcommand_count; i++) {
        if (strcmp(name, command->subcommands[i].name) == 0)
            return &command->subcommands[i];
    }
    return NULL;
}

/* Refuses an option SUB does not take, then a wrong number of operands. */
static bool check(const struct cli_db_command *command, const struct cli_db_subcommand *sub,
                  char **operands, int count, unsigned given)
{
    unsigned extra = given & ~sub->options;
    for (unsigned bit = 0; extra; bit++) {
        if (extra & (1u << bit)) {
            cli_error("'%s %s' does not take %s", command->name, sub->name,
                      command->option_names[bit]);
            return false;
        }
    }
    if (count < sub->min_operands) {
        cli_error("'%s %s' needs %s", command->name, sub->name, sub->operand_names);
        fputs(command->usage, stderr);
        return false;
    }
    if (sub->max_operands >= 0 && count > sub->max_operands) {
        if (sub->max_operands == 0)
            cli_error("'%s %s' takes no arguments, not '%s'", command->name, sub->name,
                      operands[0]);
        else
            cli_error("'%s %s' takes %s, not also '%s'", command->name, sub->name,
                      sub->operand_names, operands[sub->max_operands]);
        return false;
    }
    return true;
}

int cli_db_subcommand_run(const struct cli_db_command *command, char **args, int count,
                          unsigned given, const char *db, const void *options)
{
    if (count == 0) {
        fputs(command->usage, stderr);
        return EXIT_USAGE;
    }
    const struct cli_db_subcommand *sub = find(command, args[0]);
    if (!sub) {
        cli_error("'%s' is not a '%s' subcommand: %s", args[0], command->name, command->listing);
        return EXIT_USAGE;
    }
    if (!check(command, sub, args + 1, count - 1, given) ||
        (command->check && !command->check(options)))
        return EXIT_USAGE;
    struct cli_db_call call = {
        .operands = args + 1, .operand_count = count - 1, .options = options};
    call.store = cli_store_open(db);
    if (!call.store)
        return EXIT_USAGE;
    int status = sub->run(&call);
    dbf_store_close(call.store);
    return status;
}
