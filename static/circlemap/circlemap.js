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
      // The HTML is built and escaped on the server (circlemap.mapping).
      box.innerHTML = this.options.html;
      // On a narrow map the open legend would hide the map: start folded.
      var size = map.getSize();
      var details = box.querySelector("details");
      if (details && (size.x < this.options.foldBelowWidth || size.y < this.options.foldBelowHeight)) {
        details.removeAttribute("open");
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
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
  // spot to its symbol. The stored coordinates do not change; the selection
  // halo (properties.follows = the selected id) moves with its point.
  function fanOut(map, pointRadius) {
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

    function rings(points) {
      var gap = 4;
      var size = 2 * pointRadius + gap;
      var spots = points.map(function (layer) {
        return map.latLngToLayerPoint(layer._cmOrigin);
      });
      var groups = [];
      spots.forEach(function (p, i) {
        for (var g = 0; g < groups.length; g++) {
          if (spots[groups[g][0]].distanceTo(p) < 1) {
            groups[g].push(i);
            return;
          }
        }
        groups.push([i]);
      });
      for (var round = 0; round <= points.length; round++) {
        var drawn = [];
        var owner = [];
        groups.forEach(function (group, g) {
          var cx = 0;
          var cy = 0;
          group.forEach(function (i) {
            cx += spots[i].x / group.length;
            cy += spots[i].y / group.length;
          });
          var n = group.length;
          var ring = n > 1 ? Math.max(3 * pointRadius, (n * size) / (2 * Math.PI)) : 0;
          group.forEach(function (i, k) {
            var angle = -Math.PI / 2 + (2 * Math.PI * k) / n;
            drawn[i] = n > 1 ? L.point(cx + ring * Math.cos(angle), cy + ring * Math.sin(angle)) : spots[i];
            owner[i] = g;
          });
        });
        var clash = null;
        for (var a = 0; a < drawn.length && !clash; a++) {
          for (var b = a + 1; b < drawn.length; b++) {
            if (owner[a] !== owner[b] && drawn[a].distanceTo(drawn[b]) < 2 * pointRadius + 2) {
              clash = [Math.min(owner[a], owner[b]), Math.max(owner[a], owner[b])];
              break;
            }
          }
        }
        if (!clash) {
          return { spots: spots, drawn: drawn };
        }
        groups[clash[0]] = groups[clash[0]].concat(groups[clash[1]]);
        groups.splice(clash[1], 1);
      }
      return { spots: spots, drawn: drawn };
    }

    function place() {
      pending = false;
      var found = collect();
      var result = rings(found.points);
      leaders.clearLayers();
      var at = {};
      found.points.forEach(function (layer, i) {
        var spot = result.spots[i];
        var drawn = result.drawn[i];
        var latlng = map.layerPointToLatLng(drawn);
        layer.setLatLng(latlng);
        at[layer.feature.properties.id] = latlng;
        var reach = spot.distanceTo(drawn);
        if (reach > pointRadius + 1) {
          var end = spot.add(drawn.subtract(spot).multiplyBy((reach - pointRadius) / reach));
          L.polyline([layer._cmOrigin, map.layerPointToLatLng(end)], {
            color: "#555555",
            weight: 1,
            opacity: 0.8,
            interactive: false,
          }).addTo(leaders);
          L.circleMarker(layer._cmOrigin, {
            radius: 1.5,
            color: "#555555",
            weight: 0,
            fill: true,
            fillOpacity: 0.9,
            interactive: false,
          }).addTo(leaders);
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
    if (opts.legendHtml) {
      new L.Control.CmLegend({ html: opts.legendHtml, position: opts.legendPosition || "topright" }).addTo(map);
    }
    map.on("zoomend", function () {
      setZoomClass(map);
    });
    setZoomClass(map);
    fanOut(map, opts.pointRadius || 7);
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

  // A FeatureCollection whose lines and rings are encoded polylines, made
  // plain GeoJSON in place (points are plain numbers already).
  function unpack(collection, precision) {
    var factor = Math.pow(10, precision);
    collection.features.forEach(function (feature) {
      var geometry = feature.geometry;
      geometry.coordinates = unpackCoordinates(geometry.coordinates, factor);
    });
    return collection;
  }

  L.circlemap = { furnish: furnish, unpack: unpack };
})();
