/* banned.h: string functions that cannot be used safely, made errors.
 *
 * The build includes this file before every source file (as git does with
 * its banned.h), so a call to one of these functions does not compile. The C
 * library's own headers are read first, so that their declarations are not
 * touched. */
#ifndef DBF_BANNED_H
#define DBF_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DBF_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) DBF_BANNED(strcpy)
#undef strcat
#define strcat(x, y) DBF_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) DBF_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) DBF_BANNED(strncat)
#undef sprintf
#define sprintf(...) DBF_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) DBF_BANNED(vsprintf)
#undef gets
#define gets(x) DBF_BANNED(gets)
#undef strtok
#define strtok(x, y) DBF_BANNED(strtok)

#endif
