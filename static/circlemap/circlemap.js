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

  // Points that share a spot (properties.fan = [i, n], set by circlemap.mapping)
  // are spread on a ring a fixed number of pixels wide, so each can be clicked.
  function fanOut(map, pointRadius) {
    function place(layer) {
      var props = layer.feature && layer.feature.properties;
      var fan = props && props.fan;
      if (!fan || fan[1] < 2 || typeof layer.setLatLng !== "function") {
        return;
      }
      if (!layer._cmOrigin) {
        layer._cmOrigin = layer.getLatLng();
      }
      var n = fan[1];
      var angle = -Math.PI / 2 + (2 * Math.PI * fan[0]) / n;
      var ring = Math.max(3 * pointRadius, (n * (2 * pointRadius + 8)) / (2 * Math.PI));
      var origin = map.latLngToLayerPoint(layer._cmOrigin);
      var spot = origin.add([ring * Math.cos(angle), ring * Math.sin(angle)]);
      layer.setLatLng(map.layerPointToLatLng(spot));
    }
    map.on("layeradd", function (e) {
      place(e.layer);
    });
    map.on("zoomend", function () {
      map.eachLayer(place);
    });
    map.eachLayer(place);
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
