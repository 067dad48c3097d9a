<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis styleCategories="Symbology" version="3.22.16-Białowieża">
  <pipe-data-defined-properties>
    <Option type="Map">
      <Option value="" type="QString" name="name"/>
      <Option name="properties"/>
      <Option value="collection" type="QString" name="type"/>
    </Option>
  </pipe-data-defined-properties>
  <pipe>
    <provider>
      <resampling zoomedInResamplingMethod="nearestNeighbour" zoomedOutResamplingMethod="nearestNeighbour" enabled="false" maxOversampling="2"/>
    </provider>
    <rasterrenderer nodataColor="" opacity="1" classificationMax="0.6" band="1" type="singlebandpseudocolor" alphaBand="-1" classificationMin="-0.6">
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
      <rastershader>
        <colorrampshader labelPrecision="6" minimumValue="-0.6" classificationMode="1" clip="0" maximumValue="0.6" colorRampType="INTERPOLATED">
          <item value="-0.6" label="≤ -0.6 vegetation" alpha="255" color="#8c510a"/>
          <item value="-0.3" label="-0.3 dry land" alpha="255" color="#d8b365"/>
          <item value="0" label="0.0" alpha="255" color="#f6e8c3"/>
          <item value="0.1" label="0.1 wet" alpha="255" color="#c7eae5"/>
          <item value="0.3" label="0.3 water" alpha="255" color="#5ab4ac"/>
          <item value="0.6" label="≥ 0.6 open water" alpha="255" color="#01665e"/>
          <rampLegendSettings minimumLabel="" useContinuousLegend="1" direction="0" suffix="" maximumLabel="" prefix="" orientation="2">
            <numericFormat id="basic">
              <Option type="Map">
                <Option value="" type="QChar" name="decimal_separator"/>
                <Option value="6" type="int" name="decimals"/>
                <Option value="0" type="int" name="rounding_type"/>
                <Option value="false" type="bool" name="show_plus"/>
                <Option value="true" type="bool" name="show_thousand_separator"/>
                <Option value="false" type="bool" name="show_trailing_zeros"/>
                <Option value="" type="QChar" name="thousand_separator"/>
              </Option>
            </numericFormat>
          </rampLegendSettings>
        </colorrampshader>
      </rastershader>
    </rasterrenderer>
    <brightnesscontrast brightness="0" gamma="1" contrast="0"/>
    <huesaturation grayscaleMode="0" invertColors="0" colorizeRed="255" saturation="0" colorizeOn="0" colorizeGreen="128" colorizeStrength="100" colorizeBlue="128"/>
    <rasterresampler maxOversampling="2"/>
    <resamplingStage>resamplingFilter</resamplingStage>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
