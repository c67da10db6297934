// Widgets are used together with the core types; importing TUIWidgets brings in TUICore too.
@_exported import TUICore
