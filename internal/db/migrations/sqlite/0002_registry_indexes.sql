-- Registry filters: 规上 status is selective (a few percent of firms).
CREATE INDEX enterprises_above_scale ON enterprises (above_scale);
