/* SPDX-License-Identifier: MIT */
/*
 * secretfile.h - a secret read from a file only its owner can read: the
 * field key (ZEQ_FIELD_KEY), the mesh secret (ZEQ_MESH_SECRET). The text
 * is hex or base64, as in zeqctl's key files (tools/parse.c).
 */
#ifndef ZEQD_SECRETFILE_H
#define ZEQD_SECRETFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * len bytes of secret from path into out. The file is opened O_NOFOLLOW
 * and checked on the open fd: a regular file, no group or other access.
 * 0, or -1 with "path: reason" in err, naming what (never quoting the
 * text). Every buffer that held the text is cleansed.
 */
int secret_file_load(const char *path, const char *what, uint8_t *out,
		     size_t len, char *err, size_t errlen);

#endif
