// Starts Swagger UI on the merged document; kept as a file so the page needs no inline script.
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    withCredentials: true,
  });
});
