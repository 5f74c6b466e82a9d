#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with Foundation's own copy of ICU in the
// same Swift module. Only a pointer to the converter struct is ever seen here, so leaving its
// ICU members out changes the layout of nothing traingate touches.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/SAX2.h>
