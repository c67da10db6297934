#ifndef SYNAPTOP_NCURSES_SHIM_H
#define SYNAPTOP_NCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

/* Macros and globals that do not import into Swift 6 are wrapped here. */
static inline WINDOW *syn_stdscr(void) { return stdscr; }
static inline int syn_lines(void) { return LINES; }
static inline int syn_cols(void) { return COLS; }
static inline int syn_colors(void) { return COLORS; }
static inline int syn_color_pairs(void) { return COLOR_PAIRS; }
static inline int syn_key_resize(void) { return KEY_RESIZE; }
static inline int syn_key_mouse(void) { return KEY_MOUSE; }
static inline attr_t syn_a_bold(void) { return A_BOLD; }
static inline attr_t syn_a_dim(void) { return A_DIM; }
static inline attr_t syn_a_reverse(void) { return A_REVERSE; }
static inline attr_t syn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t syn_a_normal(void) { return A_NORMAL; }
static inline int syn_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int syn_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline mmask_t syn_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t syn_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t syn_button1_clicked(void) { return BUTTON1_CLICKED; }
#endif
