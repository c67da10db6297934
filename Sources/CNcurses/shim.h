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
/* Button-1 presses, releases and clicks and the wheel (buttons 4 and 5) only: no motion reports
   (they would flood the input and get in the way of text selection), so ncurses asks for xterm's
   normal tracking (mode 1000), not any-motion tracking (1003). */
static inline mmask_t syn_click_events(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
        | BUTTON5_PRESSED
#endif
        ;
}

/* 1 when the terminal's cursor-addressing string is the ANSI one (ESC [ row ; col H), so
   frames may be written as ANSI escape sequences directly; 0 otherwise. */
static inline int syn_cup_is_ansi(void) {
    const char *cup = tigetstr("cup");
    if (cup == 0 || cup == (const char *)-1) return 0;
    return cup[0] == 27 && cup[1] == '[';
}
static inline int syn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int syn_err(void) { return ERR; }

/* Writes one wide character cell at (y, x) of stdscr with attributes and an extended colour
   pair (pairs above 32767 go through setcchar's `opts` pointer, ncurses >= 6.1). */
static inline int syn_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, 0, &pair) == ERR) return ERR;
    if (wmove(stdscr, y, x) == ERR) return ERR;
    return wadd_wch(stdscr, &cc);
}

/* Mouse event: returns 1 and the cell of a button-1 press or click, 4 for a wheel-up step,
   5 for a wheel-down step (with the cell under the pointer), else 0. A release is not reported
   (a click is its press). */
static inline int syn_mouse_event(int *x, int *y) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return 0;
    *x = ev.x;
    *y = ev.y;
    if (ev.bstate & BUTTON4_PRESSED) return 4;
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED) return 5;
#endif
    if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    return 0;
}
#endif
