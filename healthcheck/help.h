/* What `lucid-health --help` prints. */
#ifndef LUCID_HEALTH_HELP_H
#define LUCID_HEALTH_HELP_H

extern const char help_text[];

#endif
