/* The API docs page (templates/api/docs.html): ninja's bundled Swagger UI, configured from the
   JSON settings on the page, inside the site's layout. */
(function () {
  "use strict";
  var mount = document.getElementById("swagger-ui");
  var settingsNode = document.getElementById("swagger-settings");
  if (!mount || !settingsNode || !window.SwaggerUIBundle) return;
  var config = JSON.parse(settingsNode.textContent);
  var csrfToken = mount.getAttribute("data-csrf-token");

  /* Swagger UI draws a lock on every operation whose security is not exactly [{}]. Our public
     operations list the optional credentials too ([bearer, session, {}]: an editor's token also
     shows drafts), so they would all look locked. The summary is drawn as if anonymous access
     were the only option when it is one; "Try it out" still sends credentials you authorized. */
  function OptionalAuthWithoutLock() {
    return {
      wrapComponents: {
        OperationSummary: function (Original, system) {
          return function (props) {
            var security = props.operationProps && props.operationProps.get("security");
            if (security && security.some(function (requirement) { return requirement.isEmpty(); })) {
              var anonymous = security.filter(function (requirement) { return requirement.isEmpty(); });
              props = Object.assign({}, props, {
                operationProps: props.operationProps.set("security", anonymous)
              });
            }
            return system.React.createElement(Original, props);
          };
        }
      }
    };
  }

  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  config.plugins = [OptionalAuthWithoutLock];
  if (csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();
