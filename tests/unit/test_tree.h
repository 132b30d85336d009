/* Removing the folders unit tests make: one helper for every test file. */
#ifndef ADTHRESH_TEST_TREE_H
#define ADTHRESH_TEST_TREE_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Removes path and, for a folder, everything below it (links are removed,
 * not followed). */
static void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *ent;
	char sub[PATH_MAX];

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((ent = readdir(d)) != NULL) {
			if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
				continue;
			if (snprintf(sub, sizeof(sub), "%s/%s", path, ent->d_name) <
			    (int)sizeof(sub))
				remove_tree(sub);
		}
		closedir(d);
		rmdir(path);
		return;
	}
	unlink(path);
}

#endif
