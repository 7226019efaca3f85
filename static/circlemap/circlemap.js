/*
 * Circle Map: map furniture (our own code, served at /app/static/circlemap/).
 *
 * L.circlemap.furnish(map, options) adds what every Circle Map view needs:
 * the water-coloured background, a metric scale bar, a full-screen button
 * (Fullscreen API on the map container, with an in-page fallback), the
 * legend and zoom classes that show county names only when zoomed in.
 * No dependency beyond Leaflet; works offline.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }

  // Projection of lines and polygons, once per zoom for every vertex.
  //
  // Level of detail: a ring of LOD_MIN vertices or more is simplified, at
  // each zoom it is first drawn at, to its screen tolerance (the smoothFactor
  // Leaflet simplifies to after projecting anyway); the vertices kept are
  // remembered per zoom, so at that zoom again only they are projected. A
  // pan does not change which are kept (the simplification is in pixels).
  //
  // Lines drawn beside others (an `offset`, Leaflet.PolylineOffset): the
  // plugin replaces the projection of every line and polygon with a slower
  // one (a closure and a copied point per vertex), offsets every vertex, and
  // joins the offset segments by array concatenation (quadratic in the
  // vertices). Here only lines with an offset are offset, after the
  // simplification, by the plugin's own geometry, whose segments are joined
  // in one pass (the same points).
  var LOD_MIN = 32;

  function keptAt(layer, latlngs, zoom) {
    var lod = latlngs._cmLod;
    if (!lod || lod.length !== latlngs.length) {
      return null;
    }
    return lod.zooms[zoom] || null;
  }

  function remember(latlngs, zoom, ring, simplified) {
    if (!latlngs._cmLod || latlngs._cmLod.length !== latlngs.length) {
      latlngs._cmLod = { length: latlngs.length, zooms: {} };
    }
    var index = new Map();
    ring.forEach(function (point, i) {
      index.set(point, i);
    });
    latlngs._cmLod.zooms[zoom] = simplified.map(function (point) {
      return index.get(point);
    });
  }

  function leanProject(latlngs, result, projectedBounds) {
    var len = latlngs.length;
    var i;
    if (!len || !(latlngs[0] instanceof L.LatLng)) {
      for (i = 0; i < len; i++) {
        this._projectLatlngs(latlngs[i], result, projectedBounds);
      }
      return;
    }
    var map = this._map;
    var ring;
    var kept = len >= LOD_MIN ? keptAt(this, latlngs, map.getZoom()) : null;
    if (kept) {
      ring = new Array(kept.length);
      for (i = 0; i < kept.length; i++) {
        ring[i] = map.latLngToLayerPoint(latlngs[kept[i]]);
        projectedBounds.extend(ring[i]);
      }
    } else {
      ring = new Array(len);
      for (i = 0; i < len; i++) {
        ring[i] = map.latLngToLayerPoint(latlngs[i]);
        projectedBounds.extend(ring[i]);
      }
      if (len >= LOD_MIN) {
        var simplified = L.LineUtil.simplify(ring, this.options.smoothFactor);
        remember(latlngs, map.getZoom(), ring, simplified);
        ring = simplified;
      }
    }
    if (this.options.offset && L.PolylineOffset) {
      var lean = L.LineUtil.simplify(ring, this.options.smoothFactor);
      // Tenths of a pixel: the offset points are otherwise full doubles, and
      // the path text the browser builds and parses would be several times
      // as long as that of a line without an offset (Leaflet rounds those to
      // whole pixels; lanes are half pixels apart at the finest).
      ring = L.PolylineOffset.offsetPoints(lean, this.options.offset).map(function (xy) {
        return L.point(Math.round(xy.x * 10) / 10, Math.round(xy.y * 10) / 10);
      });
    }
    result.push(ring);
  }

  if (L.PolylineOffset) {
    L.PolylineOffset.joinLineSegments = function (segments, offset) {
      var joined = [];
      if (segments.length) {
        joined.push(segments[0].offset[0]);
        for (var i = 1; i < segments.length; i++) {
          var arc = this.joinSegments(segments[i - 1], segments[i], offset);
          for (var k = 0; k < arc.length; k++) {
            joined.push(arc[k]);
          }
        }
        joined.push(segments[segments.length - 1].offset[1]);
      }
      return joined;
    };
  }
  L.Polyline.include({ _projectLatlngs: leanProject });

  // One projection and one redraw of a path per view. A zoom without
  // animation (setZoom, setView, a fit after loading) makes Leaflet's
  // renderer project every path twice and redraw it three times: on zoomend
  // and moveend, then again on viewreset, for the same view. Here a path
  // remembers the view it was projected for (zoom and pixel origin) and the
  // projection, clip bounds and SVG element it was drawn with, and skips a
  // repeat. What changes a path itself goes through `redraw` (setLatLng,
  // setLatLngs, setRadius, an offset), which forgets both first; a path put
  // back on the map has a new SVG element and is drawn anew.
  // The keys are made once per view and per clip bounds (each reset of the
  // view makes a new pixel origin, each renderer update new bounds).
  function viewKey(map) {
    var origin = map.getPixelOrigin();
    if (map._cmViewOrigin !== origin || map._cmViewZoom !== map._zoom) {
      map._cmViewOrigin = origin;
      map._cmViewZoom = map._zoom;
      map._cmViewKey = map._zoom + ":" + origin.x + ":" + origin.y;
    }
    return map._cmViewKey;
  }

  function boundsKey(renderer) {
    var bounds = renderer && renderer._bounds;
    if (!bounds) {
      return "";
    }
    if (renderer._cmBoundsOf !== bounds) {
      renderer._cmBoundsOf = bounds;
      renderer._cmBoundsKey = [bounds.min.x, bounds.min.y, bounds.max.x, bounds.max.y].join(":");
    }
    return renderer._cmBoundsKey;
  }

  function oncePerView(proto) {
    var own = Object.prototype.hasOwnProperty;
    if (own.call(proto, "_project")) {
      var project = proto._project;
      proto._project = function () {
        var key = this._map ? viewKey(this._map) : null;
        if (key !== null && this._cmProjected === key) {
          return;
        }
        project.call(this);
        this._cmProjected = key;
      };
    }
    if (own.call(proto, "_update")) {
      var update = proto._update;
      proto._update = function () {
        // SVG only: a canvas renderer clears itself on every update, so each
        // of its paths must draw again each time.
        var svg = this._renderer instanceof L.SVG;
        var key = svg && this._cmProjected ? this._cmProjected + "|" + boundsKey(this._renderer) : null;
        if (key !== null && this._cmDrawn === key && this._cmDrawnPath === this._path) {
          return;
        }
        update.call(this);
        this._cmDrawn = key;
        this._cmDrawnPath = this._path;
      };
    }
  }

  [L.Polyline, L.Polygon, L.CircleMarker, L.Circle].forEach(function (cls) {
    oncePerView(cls.prototype);
  });
  var redraw = L.Path.prototype.redraw;
  L.Path.prototype.redraw = function () {
    this._cmProjected = this._cmDrawn = null;
    return redraw.call(this);
  };

  function fullscreenElement() {
    return document.fullscreenElement || document.webkitFullscreenElement || null;
  }

  L.Control.CmFullscreen = L.Control.extend({
    options: {
      position: "topleft",
      title: "Full screen",
      titleExit: "Exit full screen",
    },

    onAdd: function (map) {
      var bar = L.DomUtil.create("div", "leaflet-bar cm-fullscreen");
      var link = L.DomUtil.create("a", "cm-fullscreen-button", bar);
      link.href = "#";
      link.setAttribute("role", "button");
      link.setAttribute("aria-pressed", "false");
      link.title = this.options.title;
      link.setAttribute("aria-label", this.options.title);
      this._link = link;
      this._map = map;
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(link, "click", this._toggle, this);
      this._onChange = L.Util.bind(this._changed, this);
      document.addEventListener("fullscreenchange", this._onChange);
      document.addEventListener("webkitfullscreenchange", this._onChange);
      return bar;
    },

    onRemove: function () {
      document.removeEventListener("fullscreenchange", this._onChange);
      document.removeEventListener("webkitfullscreenchange", this._onChange);
    },

    _toggle: function (e) {
      L.DomEvent.preventDefault(e);
      var box = this._map.getContainer();
      var self = this;
      if (fullscreenElement() === box) {
        (document.exitFullscreen || document.webkitExitFullscreen).call(document);
        return;
      }
      if (L.DomUtil.hasClass(box, "cm-pseudo-fullscreen")) {
        this._setPseudo(false);
        return;
      }
      var request = box.requestFullscreen || box.webkitRequestFullscreen;
      var enabled = document.fullscreenEnabled || document.webkitFullscreenEnabled;
      if (request && enabled) {
        var done = request.call(box);
        if (done && typeof done.catch === "function") {
          done.catch(function () {
            self._setPseudo(true);
          });
        }
      } else {
        // Inside an iframe without allow="fullscreen": fill the frame instead.
        this._setPseudo(true);
      }
    },

    _setPseudo: function (on) {
      var box = this._map.getContainer();
      if (on) {
        L.DomUtil.addClass(box, "cm-pseudo-fullscreen");
      } else {
        L.DomUtil.removeClass(box, "cm-pseudo-fullscreen");
      }
      this._changed();
    },

    _changed: function () {
      var box = this._map.getContainer();
      var on = fullscreenElement() === box || L.DomUtil.hasClass(box, "cm-pseudo-fullscreen");
      var title = on ? this.options.titleExit : this.options.title;
      this._link.title = title;
      this._link.setAttribute("aria-label", title);
      this._link.setAttribute("aria-pressed", on ? "true" : "false");
      if (on) {
        L.DomUtil.addClass(box, "cm-is-fullscreen");
      } else {
        L.DomUtil.removeClass(box, "cm-is-fullscreen");
      }
      this._map.invalidateSize();
    },
  });

  L.Control.CmLegend = L.Control.extend({
    options: { position: "topright", html: "", foldBelowWidth: 760, foldBelowHeight: 520 },

    onAdd: function (map) {
      var box = L.DomUtil.create("div", "cm-legend leaflet-control");
      this._box = box;
      this.setHtml(this.options.html);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },

    // The HTML is built and escaped on the server (circlemap.webmap.legend); it
    // comes inline or, in the app, with the base map's published file.
    setHtml: function (html) {
      var box = this._box;
      box.innerHTML = html;
      // On a narrow map the open legend would hide the map: start folded.
      var size = this._map.getSize();
      var details = box.querySelector("details");
      if (details && (size.x < this.options.foldBelowWidth || size.y < this.options.foldBelowHeight)) {
        details.removeAttribute("open");
      }
    },
  });

  function setZoomClass(map) {
    var box = map.getContainer();
    var zoom = Math.round(map.getZoom());
    box.className = box.className.replace(/\bcm-zoom-\d+\b/g, "").trim();
    L.DomUtil.addClass(box, "cm-zoom-" + zoom);
    if (zoom >= 9) {
      L.DomUtil.addClass(box, "cm-zoomed-in");
    } else {
      L.DomUtil.removeClass(box, "cm-zoomed-in");
    }
  }

  // Point features are spread so that none covers another, at every zoom:
  // points on one spot (properties.fan, set by circlemap.webmap) and points
  // whose symbols would touch on screen go on one ring, a fixed number of
  // pixels wide, around their mean spot; a thin leader runs from each true
  // spot to its symbol. More than MAX_RING points that zooming in would part
  // (many sites close together at a low zoom) are one numbered cluster
  // instead; a click on it zooms in to them. The stored coordinates do not
  // change; the selection halo (properties.follows = the selected id) moves
  // with its point, or sits on the cluster that holds it.
  var MAX_RING = 24;
  var CLUSTER_RADIUS = 13;
  var CLUSTER_REACH = 60;

  // Groups of points whose symbols would touch at the spots given (layer
  // pixels). First, seeds in turn take every point not yet taken within
  // CLUSTER_REACH of them; a seed's points that are more than MAX_RING and
  // not all on one spot are a cluster disc at the seed (seeds are farther
  // apart than that, so discs do not touch). Then rounds: with a grid of cells
  // as wide as two symbols (a round costs about one pass over the points),
  // every touching pair of groups is merged, until no symbols touch. A merged
  // group holding a disc stays at its largest disc; one of more than MAX_RING
  // points becomes a disc at its mean spot.
  function spread(spots, pointRadius) {
    var size = 2 * pointRadius + 4;
    var cell = 2 * Math.max(CLUSTER_RADIUS, pointRadius) + 2;

    // A grid cell as one number (a string per lookup costs more than the
    // lookups): rows of 2^21 cells. Two cells could share a number only
    // millions of pixels apart, and a shared number only adds candidates
    // that the distance test then drops.
    function cellOf(gx, gy) {
      return gx * 2097152 + gy;
    }

    function key(p, width) {
      return cellOf(Math.floor(p.x / width), Math.floor(p.y / width));
    }

    function add(grid, k, i) {
      var bucket = grid.get(k);
      if (bucket) {
        bucket.push(i);
      } else {
        grid.set(k, [i]);
      }
    }

    function bySpot(members) {
      var out = [];
      var seen = {};
      members.forEach(function (i) {
        var k = Math.round(spots[i].x) + ":" + Math.round(spots[i].y);
        if (k in seen) {
          out[seen[k]].members.push(i);
        } else {
          seen[k] = out.length;
          out.push({ members: [i], oneSpot: true, disc: false, centre: null });
        }
      });
      return out;
    }

    // Seeds and their reach.
    var reachGrid = new Map();
    spots.forEach(function (p, i) {
      add(reachGrid, key(p, CLUSTER_REACH), i);
    });
    var taken = new Array(spots.length);
    var groups = [];
    spots.forEach(function (seed, s) {
      if (taken[s]) {
        return;
      }
      var members = [];
      var gx = Math.floor(seed.x / CLUSTER_REACH);
      var gy = Math.floor(seed.y / CLUSTER_REACH);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          (reachGrid.get(cellOf(gx + dx, gy + dy)) || []).forEach(function (i) {
            if (!taken[i] && seed.distanceTo(spots[i]) <= CLUSTER_REACH) {
              taken[i] = true;
              members.push(i);
            }
          });
        }
      }
      var parts = bySpot(members);
      if (members.length > MAX_RING && parts.length > 1) {
        groups.push({ members: members, oneSpot: false, disc: true, centre: seed });
      } else {
        groups = groups.concat(parts);
      }
    });

    for (;;) {
      var drawn = [];
      var owner = [];
      var radius = [];
      groups.forEach(function (group, g) {
        var members = group.members;
        var n = members.length;
        var centre = group.centre;
        if (!centre) {
          var cx = 0;
          var cy = 0;
          members.forEach(function (i) {
            cx += spots[i].x / n;
            cy += spots[i].y / n;
          });
          centre = group.centre = L.point(cx, cy);
        }
        var ring = n > 1 ? Math.max(3 * pointRadius, (n * size) / (2 * Math.PI)) : 0;
        members.forEach(function (i, k) {
          var angle = -Math.PI / 2 + (2 * Math.PI * k) / n;
          if (group.disc) {
            drawn[i] = centre;
          } else {
            drawn[i] = n > 1 ? L.point(centre.x + ring * Math.cos(angle), centre.y + ring * Math.sin(angle)) : spots[i];
          }
          owner[i] = g;
          radius[i] = group.disc ? CLUSTER_RADIUS : pointRadius;
        });
      });
      var grid = new Map();
      drawn.forEach(function (p, i) {
        add(grid, key(p, cell), i);
      });
      var parent = groups.map(function (group, g) {
        return g;
      });
      var find = function (g) {
        while (parent[g] !== g) {
          parent[g] = parent[parent[g]];
          g = parent[g];
        }
        return g;
      };
      var merged = false;
      drawn.forEach(function (p, i) {
        var gx = Math.floor(p.x / cell);
        var gy = Math.floor(p.y / cell);
        for (var dx = -1; dx <= 1; dx++) {
          for (var dy = -1; dy <= 1; dy++) {
            var near = grid.get(cellOf(gx + dx, gy + dy)) || [];
            for (var m = 0; m < near.length; m++) {
              var j = near[m];
              if (j <= i || owner[i] === owner[j]) {
                continue;
              }
              var a = find(owner[i]);
              var b = find(owner[j]);
              if (a !== b && p.distanceTo(drawn[j]) < radius[i] + radius[j] + 2) {
                parent[Math.max(a, b)] = Math.min(a, b);
                merged = true;
              }
            }
          }
        }
      });
      if (!merged) {
        return {
          drawn: drawn,
          owner: owner,
          groups: groups.map(function (group) {
            return group.members;
          }),
          clustered: groups.map(function (group) {
            return group.disc;
          }),
          centres: groups.map(function (group) {
            return group.centre;
          }),
        };
      }
      var next = {};
      var joined = [];
      groups.forEach(function (group, g) {
        var root = find(g);
        if (!(root in next)) {
          next[root] = joined.length;
          joined.push({ members: [], oneSpot: true, disc: false, centre: null, parts: [] });
        }
        joined[next[root]].parts.push(group);
      });
      groups = joined.map(function (into) {
        var largest = null;
        into.parts.forEach(function (part) {
          into.members = into.members.concat(part.members);
          if (part.disc && (!largest || part.members.length > largest.members.length)) {
            largest = part;
          }
        });
        into.oneSpot = into.parts.length === 1 && into.parts[0].oneSpot;
        if (largest) {
          into.disc = true;
          into.centre = largest.centre;
        } else if (into.members.length > MAX_RING && !into.oneSpot) {
          into.disc = true;
        }
        delete into.parts;
        return into;
      });
    }
  }

  function fanOut(map, pointRadius, clusterTitle) {
    var leaders = L.layerGroup();
    var pending = false;

    function collect() {
      var points = [];
      var halos = [];
      map.eachLayer(function (layer) {
        var props = layer.feature && layer.feature.properties;
        if (!props || typeof layer.setLatLng !== "function") {
          return;
        }
        if (!layer._cmOrigin) {
          layer._cmOrigin = layer.getLatLng();
        }
        if (props.layer === "feature") {
          points.push(layer);
        } else if (props.layer === "highlight" && props.follows) {
          halos.push(layer);
        }
      });
      return { points: points, halos: halos };
    }

    function show(layer, shown) {
      if (layer._path) {
        layer._path.style.display = shown ? "" : "none";
      }
      layer._cmClustered = !shown;
    }

    function addCluster(group, points, centre) {
      var origins = group.map(function (i) {
        return points[i]._cmOrigin;
      });
      var bounds = L.latLngBounds(origins);
      var n = group.length;
      var title = (clusterTitle || "{n}").replace("{n}", String(n));
      var marker = L.marker(map.layerPointToLatLng(centre), {
        icon: L.divIcon({
          className: "cm-cluster",
          html: "<span>" + n + "</span>",
          iconSize: [2 * CLUSTER_RADIUS, 2 * CLUSTER_RADIUS],
        }),
        title: title,
        alt: title,
        keyboard: true,
        riseOnHover: true,
      });
      marker._cmCluster = n;
      marker.on("click", function () {
        var zoom = Math.max(map.getBoundsZoom(bounds, false, L.point(60, 60)), map.getZoom() + 1);
        map.setView(bounds.getCenter(), Math.min(zoom, map.getMaxZoom()));
      });
      marker.addTo(leaders);
    }

    function place() {
      pending = false;
      var found = collect();
      var spots = found.points.map(function (layer) {
        return map.latLngToLayerPoint(layer._cmOrigin);
      });
      var result = spread(spots, pointRadius);
      leaders.clearLayers();
      var at = {};
      var segments = [];
      var dots = {};
      // A point already at its true spot is not moved again (each move
      // re-projects and redraws it): most points, away from a crowd.
      function home(layer) {
        if (layer.getLatLng() !== layer._cmOrigin) {
          layer.setLatLng(layer._cmOrigin);
        }
      }
      found.points.forEach(function (layer, i) {
        var spot = spots[i];
        var drawn = result.drawn[i];
        if (result.clustered[result.owner[i]]) {
          at[layer.feature.properties.id] = map.layerPointToLatLng(drawn);
          home(layer);
          show(layer, false);
          return;
        }
        show(layer, true);
        if (drawn === spot) {
          at[layer.feature.properties.id] = layer._cmOrigin;
          home(layer);
          return;
        }
        var latlng = map.layerPointToLatLng(drawn);
        at[layer.feature.properties.id] = latlng;
        layer.setLatLng(latlng);
        var reach = spot.distanceTo(drawn);
        if (reach > pointRadius + 1) {
          var end = spot.add(drawn.subtract(spot).multiplyBy((reach - pointRadius) / reach));
          segments.push([layer._cmOrigin, map.layerPointToLatLng(end)]);
          var k = spot.x.toFixed(1) + ":" + spot.y.toFixed(1);
          if (!(k in dots)) {
            dots[k] = [layer._cmOrigin, layer._cmOrigin];
          }
        }
      });
      // All leaders are one path and all true spots another (a zero-length
      // segment with round caps is a dot): two SVG elements made per zoom,
      // not two per spread point.
      if (segments.length) {
        L.polyline(segments, {
          color: "#555555",
          weight: 1,
          opacity: 0.8,
          interactive: false,
        }).addTo(leaders);
        L.polyline(Object.values(dots), {
          color: "#555555",
          weight: 3,
          opacity: 0.9,
          lineCap: "round",
          interactive: false,
        }).addTo(leaders);
      }
      result.groups.forEach(function (group, g) {
        if (result.clustered[g]) {
          addCluster(group, found.points, result.centres[g]);
        }
      });
      found.halos.forEach(function (halo) {
        var latlng = at[halo.feature.properties.follows];
        if (latlng) {
          halo.setLatLng(latlng);
        }
      });
    }

    function schedule() {
      if (!pending) {
        pending = true;
        setTimeout(place, 0);
      }
    }

    leaders.addTo(map);
    map.on("layeradd", function (e) {
      if (e.layer.feature && e.layer.feature.properties && typeof e.layer.setLatLng === "function") {
        schedule();
      }
    });
    map.on("zoomend", schedule);
    schedule();
  }

  // --- reporting back to the page (streamlit-folium) ------------------------------
  //
  // streamlit-folium returns `selected_layers` (the values of
  // window.__GLOBAL_DATA__.selected_layers) to Python when the map moves or a
  // layer is added or removed. Our one entry, named "circlemap", carries the
  // view the reader moved to and the hidden layer groups as JSON; the page
  // reads it back (circlemap.ui). Outside Streamlit (the offline HTML export)
  // there is nothing to report to.
  var REPORT = "circlemap";

  function report(map, changes) {
    var data = window.__GLOBAL_DATA__;
    var now = map._cmReport || { view: null, hidden: (map._cmHidden || []).slice(), basemap: null };
    for (var k in changes) {
      now[k] = changes[k];
    }
    map._cmReport = now;
    if (!data || !data.selected_layers) {
      return;
    }
    data.selected_layers[REPORT] = { name: REPORT, url: JSON.stringify(now) };
    // streamlit-folium sends its value (debounced) on these events.
    map.fire("overlayadd", { layer: null });
  }

  function quiet(map, ms) {
    map._cmQuietUntil = Date.now() + (ms || 1500);
  }

  function currentView(map) {
    var c = map.getCenter();
    return [round(c.lat, 5), round(c.lng, 5), map.getZoom()];
  }

  function round(value, digits) {
    var f = Math.pow(10, digits);
    return Math.round(value * f) / f;
  }

  function watchMoves(map) {
    map.on("resize", function () {
      quiet(map, 800);
    });
    map.on("moveend", function () {
      if (Date.now() < (map._cmQuietUntil || 0)) {
        return;
      }
      // Registered before streamlit-folium's own moveend handler, which then
      // sends the value with this view in it.
      var data = window.__GLOBAL_DATA__;
      var now = map._cmReport || { view: null, hidden: (map._cmHidden || []).slice(), basemap: null };
      now.view = currentView(map);
      now.hidden = (map._cmHidden || []).slice();
      map._cmReport = now;
      if (data && data.selected_layers) {
        data.selected_layers[REPORT] = { name: REPORT, url: JSON.stringify(now) };
      }
    });
  }

  // --- the view and layer state the page asks for ----------------------------------

  // request: {view: [lat, lon, zoom]} or {bounds: [[s, w], [n, e]]}, plus
  // {hidden: [group, ...]}. Sent with the feature layer on every change;
  // a view request is applied only when it differs from the last one, so a
  // rerun for another reason leaves the reader's view alone.
  function applyState(map, request) {
    var req = request || {};
    setHidden(map, req.hidden || []);
    var token = JSON.stringify([req.view || null, req.bounds || null]);
    if (token === map._cmViewToken) {
      return;
    }
    map._cmViewToken = token;
    if (req.view) {
      var here = currentView(map);
      var same =
        Math.abs(here[0] - req.view[0]) < 1e-4 &&
        Math.abs(here[1] - req.view[1]) < 1e-4 &&
        here[2] === req.view[2];
      if (!same) {
        quiet(map);
        map.setView([req.view[0], req.view[1]], req.view[2], { animate: false });
      }
    } else if (req.bounds) {
      quiet(map);
      map.fitBounds(req.bounds, { padding: [12, 12], animate: false });
    }
  }

  // --- layer groups: switch on and off ---------------------------------------------

  function groupOf(map, props) {
    var opts = map._cmOptions || {};
    if (!props) {
      return null;
    }
    if (props.layer === "feature") {
      if (props.group === "transport") {
        return props.kind;
      }
      return (opts.contentGroups || {})[props.group] || null;
    }
    return (opts.layerGroups || {})[props.layer] || null;
  }

  function tagLayer(map, layer) {
    var props = layer.feature && layer.feature.properties;
    var group = groupOf(map, props);
    var el = layer._path || (layer.getElement && layer.getElement());
    if (!el) {
      return;
    }
    if (group) {
      L.DomUtil.addClass(el, "cm-g-" + group);
    }
    // Keyboard and screen readers: clickable shapes get a name and a key.
    if (props && (props.layer === "feature" || props.layer === "city") && layer.options.interactive !== false && props.name_zh) {
      var lang = (map._cmOptions || {}).lang;
      var name = lang === "en" ? props.name_en : props.name_zh;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", name);
      if (!el._cmKeyed) {
        el._cmKeyed = true;
        L.DomEvent.on(el, "keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") {
            L.DomEvent.preventDefault(e);
            var ll = layer.getCenter ? layer.getCenter() : layer.getLatLng();
            layer.fire("click", { latlng: ll, originalEvent: e }, true);
          }
        });
      }
    }
  }

  function setHidden(map, hidden) {
    var box = map.getContainer();
    var items = (map._cmOptions || {}).layerItems || [];
    items.forEach(function (item) {
      var off = hidden.indexOf(item.key) !== -1;
      if (off) {
        L.DomUtil.addClass(box, "cm-hide-" + item.key);
      } else {
        L.DomUtil.removeClass(box, "cm-hide-" + item.key);
      }
    });
    map._cmHidden = hidden.slice();
    if (map._cmLayerControl) {
      map._cmLayerControl.sync(hidden);
    }
  }

  function hideRules(items, labelGroups) {
    var rules = [];
    items.forEach(function (item) {
      rules.push(".cm-hide-" + item.key + " .cm-g-" + item.key + " { display: none; }");
    });
    for (var cls in labelGroups) {
      rules.push(".cm-hide-" + labelGroups[cls] + " ." + cls + " { display: none; }");
    }
    var style = document.createElement("style");
    style.textContent = rules.join("\n");
    document.head.appendChild(style);
  }

  L.Control.CmLayers = L.Control.extend({
    options: { position: "topright", title: "Layers", items: [], sections: {} },

    onAdd: function (map) {
      var box = L.DomUtil.create("div", "cm-layers leaflet-control");
      var details = L.DomUtil.create("details", "", box);
      var summary = L.DomUtil.create("summary", "", details);
      summary.textContent = this.options.title;
      var size = map.getSize();
      if (size.x >= 760 && size.y >= 520) {
        details.removeAttribute("open");
      }
      var self = this;
      this._inputs = {};
      ["base", "content"].forEach(function (section) {
        var items = self.options.items.filter(function (i) {
          return i.section === section;
        });
        if (!items.length) {
          return;
        }
        var fieldset = L.DomUtil.create("fieldset", "", details);
        var legend = L.DomUtil.create("legend", "", fieldset);
        legend.textContent = self.options.sections[section] || section;
        items.forEach(function (item) {
          var label = L.DomUtil.create("label", "", fieldset);
          var input = L.DomUtil.create("input", "", label);
          input.type = "checkbox";
          input.checked = true;
          input.value = item.key;
          input.setAttribute("data-layer", item.key);
          var span = L.DomUtil.create("span", "", label);
          span.textContent = item.label;
          L.DomEvent.on(input, "change", self._changed, self);
          self._inputs[item.key] = input;
        });
      });
      this._map = map;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },

    sync: function (hidden) {
      for (var key in this._inputs) {
        this._inputs[key].checked = hidden.indexOf(key) === -1;
      }
    },

    _changed: function () {
      var hidden = [];
      for (var key in this._inputs) {
        if (!this._inputs[key].checked) {
          hidden.push(key);
        }
      }
      setHidden(this._map, hidden);
      report(this._map, { hidden: hidden });
    },
  });

  // --- reset view, coordinates, minimap, measuring ---------------------------------

  L.Control.CmReset = L.Control.extend({
    options: { position: "topleft", title: "Reset view", bounds: null },

    onAdd: function (map) {
      var bar = L.DomUtil.create("div", "leaflet-bar cm-reset");
      var link = L.DomUtil.create("a", "cm-reset-button", bar);
      link.href = "#";
      link.setAttribute("role", "button");
      link.title = this.options.title;
      link.setAttribute("aria-label", this.options.title);
      link.innerHTML = "&#8962;";
      var bounds = this.options.bounds;
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(link, "click", function (e) {
        L.DomEvent.preventDefault(e);
        if (bounds) {
          map.fitBounds(bounds, { padding: [12, 12] });
        }
      });
      return bar;
    },
  });

  L.Control.CmCoords = L.Control.extend({
    options: { position: "bottomleft", label: "" },

    onAdd: function (map) {
      var box = L.DomUtil.create("div", "cm-coords leaflet-control");
      box.setAttribute("aria-live", "off");
      var label = this.options.label;
      function show(ll) {
        box.textContent = label + ll.lat.toFixed(4) + "°N " + ll.lng.toFixed(4) + "°E";
      }
      map.on("mousemove", function (e) {
        show(e.latlng);
      });
      // Without a mouse (touch screens) the readout follows the map centre.
      map.on("moveend", function () {
        show(map.getCenter());
      });
      show(map.getCenter());
      return box;
    },
  });

  // The minimap draws the cities 120 pixels wide, three zoom levels out: their
  // outlines simplified to MINI_TOLERANCE degrees (about 2 km, under a pixel
  // there) are enough, and keep the minimap's copy small (full copies cost about
  // a megabyte of the page's memory).
  var MINI_TOLERANCE = 0.02;

  function coarse(latlngs) {
    if (!latlngs.length) {
      return latlngs;
    }
    if (!(latlngs[0] instanceof L.LatLng)) {
      return latlngs.map(coarse);
    }
    var points = latlngs.map(function (ll) {
      return L.point(ll.lng, ll.lat);
    });
    var kept = L.LineUtil.simplify(points, MINI_TOLERANCE);
    if (kept.length < 3) {
      kept = points;
    }
    return kept.map(function (p) {
      return L.latLng(p.y, p.x);
    });
  }

  function addMinimap(map, opts) {
    if (!L.Control.MiniMap) {
      return;
    }
    var outline = L.featureGroup();
    map.eachLayer(function (layer) {
      var props = layer.feature && layer.feature.properties;
      if (props && (props.layer === "city" || props.layer === "context") && layer.getLatLngs) {
        var style =
          props.layer === "city"
            ? { color: "#8a6a45", weight: 1, fillColor: "#f3e7d3", fillOpacity: 1 }
            : { color: "#b9b9b9", weight: 0.5, fillColor: "#e8e8e8", fillOpacity: 1 };
        style.interactive = false;
        outline.addLayer(L.polygon(coarse(layer.getLatLngs()), style));
      }
    });
    var size = map.getSize();
    var mini = new L.Control.MiniMap(outline, {
      position: "bottomright",
      width: 120,
      height: 110,
      zoomLevelOffset: -3,
      toggleDisplay: true,
      minimized: size.x < 500 || size.y < 420,
      aimingRectOptions: { color: "#c0392b", weight: 2, interactive: false },
      shadowRectOptions: { color: "#000", weight: 1, opacity: 0, fillOpacity: 0, interactive: false },
      strings: { hideText: opts.minimapHide || "Hide minimap", showText: opts.minimapShow || "Show minimap" },
      mapOptions: { zoomSnap: 0.5, attributionControl: false },
    });
    mini.addTo(map);
    var box = mini.getContainer();
    if (box) {
      box.style.background = opts.background || "";
      box.setAttribute("aria-hidden", "true");
    }
  }

  function addMeasure(map, opts) {
    if (!L.control.polylineMeasure) {
      return;
    }
    var t = opts.measure || {};
    L.control
      .polylineMeasure({
        position: "topleft",
        unit: "kilometres",
        showBearings: false,
        clearMeasurementsOnStop: false,
        showClearControl: true,
        showUnitControl: false,
        measureControlTitleOn: t.on || "Measure distance",
        measureControlTitleOff: t.off || "Stop measuring",
        measureControlLabel: "&#8614;",
        clearControlTitle: t.clear || "Clear measurements",
        tooltipTextFinish: t.finish || "Click to <b>finish the line</b><br>",
        tooltipTextDelete: t.remove || "Shift-click to <b>delete a point</b>",
        tooltipTextMove: t.move || "Drag to <b>move a point</b><br>",
        tooltipTextResume: t.resume || "<br>Ctrl-click to <b>resume the line</b>",
        tooltipTextAdd: t.add || "Ctrl-click to <b>add a point</b>",
        unitControlLabel: { metres: t.m || "m", kilometres: t.km || "km", feet: "ft", landmiles: "mi", nauticalmiles: "nm" },
      })
      .addTo(map);
    // While measuring, clicks go through the map's shapes to the map (the tool
    // listens to map clicks; our shapes would otherwise take them).
    map.on("polylinemeasure:toggle", function (e) {
      var box = map.getContainer();
      if (e.sttus) {
        L.DomUtil.addClass(box, "cm-measuring");
      } else {
        L.DomUtil.removeClass(box, "cm-measuring");
      }
    });
  }

  // Online tiles that fail: say so on the map and offer the offline map.
  function watchTiles(map, opts) {
    var failed = 0;
    var shown = false;
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) {
        return;
      }
      layer.on("tileerror", function () {
        failed += 1;
        if (shown || failed < 2) {
          return;
        }
        shown = true;
        var box = L.DomUtil.create("div", "cm-tile-error", map.getContainer());
        box.setAttribute("role", "alert");
        var text = L.DomUtil.create("span", "", box);
        text.textContent = opts.tileError || "The basemap tiles could not be loaded.";
        var button = L.DomUtil.create("button", "", box);
        button.type = "button";
        button.textContent = opts.tileOffline || "Use the offline map";
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(button, "click", function () {
          map.eachLayer(function (l) {
            if (l instanceof L.TileLayer) {
              map.removeLayer(l);
            }
          });
          box.parentNode.removeChild(box);
          report(map, { basemap: "none" });
        });
      });
    });
  }

  // --- the base map's published file (circlemap/webmap/published.py) -------------

  // Labels [lat, lon, escaped text, css class] as DivIcon markers of `group`.
  function labels(group, items) {
    items.forEach(function (item) {
      L.marker([item[0], item[1]], {
        icon: L.divIcon({ className: "cm-label " + item[3], html: "<span>" + item[2] + "</span>", iconSize: [0, 0] }),
        interactive: false,
        keyboard: false,
      }).addTo(group);
    });
    return group;
  }

  // An alert on the map: a file it draws from (base map, features) could not be
  // loaded. `key` names the message in the map's options, `what` the file in the
  // console.
  function loadError(map, url, err, key, fallback, what) {
    var box = L.DomUtil.create("div", "cm-tile-error cm-base-error", map.getContainer());
    box.setAttribute("role", "alert");
    box.textContent = ((map._cmOptions || {})[key] || fallback) + " (" + url + ")";
    logLoadError(what, url, err);
  }

  function logLoadError(what, url, err) {
    if (window.console) {
      window.console.error("circlemap: " + what + " " + url + ": " + err);
    }
  }

  // A drawn base layer needs its GeoJSON properties, not its coordinates: Leaflet
  // keeps each feature as given (layer.feature) beside the LatLngs it drew, and
  // toGeoJSON (a click's value) is built from the LatLngs. Dropping the copy
  // frees a coordinate array per vertex of every boundary.
  function forgetCoordinates(layer) {
    if (!layer || typeof layer.eachLayer !== "function") {
      return;
    }
    layer.eachLayer(function (part) {
      var feature = part.feature;
      if (feature && feature.geometry && feature.geometry.type !== "Point") {
        part.feature = { type: "Feature", properties: feature.properties, geometry: null };
      }
    });
  }

  // `fill(doc)` adds a base layer's data from the file at `url` (fetched once per
  // map) and returns the layer. The layers fill in the order they were declared
  // and then go below whatever the page drew meanwhile (the filtered features
  // arrive with the map script), keeping the base map's own bottom-first order.
  function fetched(map, url, fill) {
    var queue = map._cmBaseQueue || (map._cmBaseQueue = []);
    queue.push(fill);
    if (map._cmBase) {
      return map._cmBase;
    }
    map._cmBase = fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (doc) {
        var filled = map._cmBaseQueue.map(function (fn) {
          return fn(doc);
        });
        filled.forEach(forgetCoordinates);
        filled.reverse().forEach(function (layer) {
          if (layer && typeof layer.bringToBack === "function") {
            layer.bringToBack();
          }
        });
        map._cmBaseQueue = [];
        map.fire("cm:baseload");
        // Not the document: the promise stays on the map, the parsed file need not.
        return true;
      });
    map._cmBase.catch(function (err) {
      loadError(map, url, err, "baseError", "The base map could not be loaded.", "base map");
    });
    return map._cmBase;
  }

  // The published feature table (circlemap.webmap.published.publish_feature_table):
  // every feature's fixed part, fetched once per URL and kept, decoded. A filter
  // change sends rows into it (circlemap.webmap.feature_table.pack_rows), and
  // `fill(collection)` adds what they make: at once when the table is here,
  // else when it arrives (a layer removed meanwhile fills off the map, unseen).
  var tables = {};

  function featureTable(url, precision) {
    var entry = tables[url];
    if (entry) {
      return entry;
    }
    entry = tables[url] = { doc: null, waiting: [], failed: [] };
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (doc) {
        entry.doc = unpack(doc, precision);
        var waiting = entry.waiting;
        entry.waiting = [];
        waiting.forEach(function (fn) {
          fn(entry.doc);
        });
      })
      .catch(function (err) {
        delete tables[url]; // the next change asks again
        entry.failed.forEach(function (fn) {
          fn(err);
        });
      });
    return entry;
  }

  // The collection rows make of the table: what pack_features would have sent
  // (circlemap.webmap.packing.compose_rows). Records share their geometry; each
  // feature gets properties of its own.
  function compose(doc, spec) {
    var styles = spec.styles || [];
    var fan = spec.fan || {};
    var features = spec.rows.map(function (row) {
      var record = doc.features[row[0]];
      var props = {};
      for (var key in record.properties) {
        props[key] = record.properties[key];
      }
      props.style = styles[row[1]];
      props.hover = styles[row[2]];
      if (row.length > 3) {
        props.hit = styles[row[3]];
      }
      if (fan[row[0]]) {
        props.fan = fan[row[0]];
      }
      if (spec.selected === row[0]) {
        props.selected = true;
      }
      return { type: "Feature", properties: props, geometry: record.geometry };
    });
    return { type: "FeatureCollection", features: features };
  }

  // A map's first drawing carries its features inline: fetch the table now,
  // for the changes to come (a failure is quiet; the next change asks again).
  function prefetch(url, precision) {
    featureTable(url, precision);
  }

  function fromTable(group, url, spec, precision, fill) {
    var entry = featureTable(url, precision);
    if (entry.doc) {
      fill(compose(entry.doc, spec));
      return;
    }
    entry.waiting.push(function (doc) {
      fill(compose(doc, spec));
    });
    entry.failed.push(function (err) {
      var map = group._map;
      if (map && !map._cmFeatureError) {
        map._cmFeatureError = true;
        loadError(map, url, err, "featureError", "The map's features could not be loaded.", "features");
      } else {
        logLoadError("features", url, err);
      }
    });
  }

  // Run `done` once the base layers are drawn (at once when they are inline).
  function whenBase(map, done) {
    if (map._cmBase) {
      map._cmBase.then(done, function () {});
    } else {
      done();
    }
  }

  // The plugins (measuring, minimap) are not needed for the first picture:
  // load them after the map is drawn, in order, unless the page has them
  // already (the offline HTML inlines them), then call done().
  function withPlugins(urls, done) {
    if ((L.control.polylineMeasure && L.Control.MiniMap) || !urls.length) {
      done();
      return;
    }
    var left = urls.length;
    urls.forEach(function (url) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      script.onload = script.onerror = function () {
        left -= 1;
        if (left === 0) {
          done();
        }
      };
      document.head.appendChild(script);
    });
  }

  function furnish(map, options) {
    var opts = options || {};
    var box = map.getContainer();
    L.DomUtil.addClass(box, "cm-map");
    if (opts.background) {
      box.style.background = opts.background;
    }
    if (map.attributionControl) {
      // Plain prefix: no link out of an offline app.
      map.attributionControl.setPrefix("Leaflet");
      if (opts.attribution) {
        // Escaped on the server (circlemap.mapping).
        map.attributionControl.addAttribution(opts.attribution);
      }
    }
    L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(map);
    new L.Control.CmFullscreen({
      title: opts.fullscreenTitle || "Full screen",
      titleExit: opts.fullscreenExitTitle || "Exit full screen",
    }).addTo(map);
    map._cmOptions = opts;
    if (opts.resetBounds) {
      new L.Control.CmReset({ title: opts.resetTitle || "Reset view", bounds: opts.resetBounds }).addTo(map);
    }
    if (opts.layerItems && opts.layerItems.length) {
      hideRules(opts.layerItems, opts.labelGroups || {});
      map._cmLayerControl = new L.Control.CmLayers({
        title: opts.layersTitle || "Layers",
        items: opts.layerItems,
        sections: opts.layerSections || {},
      }).addTo(map);
    }
    if (opts.legendHtml || opts.legendFrom) {
      var legend = new L.Control.CmLegend({ html: opts.legendHtml || "", position: opts.legendPosition || "topright" }).addTo(map);
      if (!opts.legendHtml) {
        // In its place at once (the corner's order), filled when the file comes.
        fetched(map, opts.legendFrom, function (doc) {
          legend.setHtml(doc.legend);
          return null;
        });
      }
    }
    new L.Control.CmCoords({ label: opts.coordsLabel || "" }).addTo(map);
    withPlugins(opts.plugins || [], function () {
      addMeasure(map, opts);
      whenBase(map, function () {
        addMinimap(map, opts);
      });
    });
    watchTiles(map, opts);
    watchMoves(map);
    map.on("layeradd", function (e) {
      tagLayer(map, e.layer);
    });
    map.eachLayer(function (layer) {
      tagLayer(map, layer);
    });
    map.on("zoomend", function () {
      setZoomClass(map);
    });
    setZoomClass(map);
    fanOut(map, opts.pointRadius || 7, opts.clusterTitle);
  }

  // Encoded polylines (Google's algorithm: lat, lng steps, zigzag, five bits
  // per character) back to GeoJSON [lng, lat] pairs; see circlemap/polyline.py.
  function decode(text, factor) {
    var out = [];
    var index = 0;
    var lat = 0;
    var lng = 0;
    function next() {
      var result = 0;
      var shift = 0;
      var byte;
      do {
        byte = text.charCodeAt(index++) - 63;
        result |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20);
      return result & 1 ? ~(result >> 1) : result >> 1;
    }
    while (index < text.length) {
      lat += next();
      lng += next();
      out.push([lng / factor, lat / factor]);
    }
    return out;
  }

  function unpackCoordinates(value, factor) {
    if (typeof value === "string") {
      return decode(value, factor);
    }
    if (Array.isArray(value) && value.length && typeof value[0] !== "number") {
      return value.map(function (part) {
        return unpackCoordinates(part, factor);
      });
    }
    return value;
  }

  // A FeatureCollection whose lines and rings are encoded polylines and whose
  // style and hover properties index its styles table (circlemap/webmap/packing.py),
  // made plain GeoJSON in place (points are plain numbers already). Features of
  // one style share one style object; Leaflet's setStyle copies, never changes it.
  function unpack(collection, precision) {
    var factor = Math.pow(10, precision);
    var table = collection.styles || [];
    delete collection.styles;
    collection.features.forEach(function (feature) {
      var geometry = feature.geometry;
      geometry.coordinates = unpackCoordinates(geometry.coordinates, factor);
      var props = feature.properties || {};
      ["style", "hover", "hit", "tipMeta"].forEach(function (name) {
        if (typeof props[name] === "number") {
          props[name] = table[props[name]];
        }
      });
    });
    return collection;
  }

  function escapeHtml(value) {
    return String(value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }

  // A feature's tooltip: its own `tip` (HTML escaped on the server), or its
  // name, escaped here, before the part features share (`tipMeta`: which name
  // and the HTML of kind, status and accuracy, escaped on the server; see
  // circlemap.webmap.packing.tip_html, which the Python tests read).
  function tip(props) {
    if (props.tip) {
      return props.tip;
    }
    var meta = props.tipMeta;
    if (!meta || typeof meta !== "object") {
      return null;
    }
    var name = props[meta.name];
    return '<span class="cm-tip-name">' + escapeHtml(name === undefined ? "" : name) + "</span><br>" + meta.html;
  }

  // [drawn, hit] collections of a layer whose features carry a hit style
  // (circlemap.webmap.elements.split_hits, which the Python tests read): the
  // drawn copy keeps only what drawing needs, the hit copy (invisible, wider)
  // takes every other property and the events. Both share each geometry.
  var HIT_DRAWN_ONLY = ["layer", "id", "kind", "group", "selected", "style"];
  function hits(collection) {
    var drawn = [];
    var hit = [];
    collection.features.forEach(function (feature) {
      var props = feature.properties;
      var kept = {};
      var rest = {};
      HIT_DRAWN_ONLY.forEach(function (key) {
        if (key in props) {
          kept[key] = props[key];
        }
      });
      Object.keys(props).forEach(function (key) {
        if (key !== "hit") {
          rest[key] = props[key];
        }
      });
      rest.style = props.hit;
      drawn.push({ type: "Feature", properties: kept, geometry: feature.geometry });
      hit.push({ type: "Feature", properties: rest, geometry: feature.geometry });
    });
    return [
      { type: "FeatureCollection", features: drawn },
      { type: "FeatureCollection", features: hit },
    ];
  }

  // Offline HTML export: a click (or Enter) on a feature opens its card, built and
  // escaped on the server (circlemap.mapping.card_html), in a popup.
  function cards(map, byId) {
    function bind(layer) {
      var props = layer.feature && layer.feature.properties;
      if (!props || props.layer !== "feature" || !byId[props.id] || layer.getPopup()) {
        return;
      }
      if (layer.options.interactive === false) {
        return;
      }
      layer.bindPopup(byId[props.id], { maxWidth: 320, className: "cm-card-popup", autoPanPadding: [20, 20] });
    }
    map.on("layeradd", function (e) {
      bind(e.layer);
    });
    map.eachLayer(bind);
  }

  L.circlemap = {
    furnish: furnish,
    unpack: unpack,
    tip: tip,
    hits: hits,
    state: applyState,
    cards: cards,
    fetched: fetched,
    fromTable: fromTable,
    prefetch: prefetch,
    labels: labels,
  };
})();
